"""The in-memory chat platform: mentorbot served over plain signed HTTP, its messages
kept in the process. The smallest complete adapter — for tests, for trying mentorbot
without a chat account, and as the example of what a platform adapter provides."""
