"""A simulated Slack workspace on loopback: the Web API, and a driver that acts as Slack.

Used by ``mentorbot demo`` and by the end-to-end tests; it never talks to the internet.
"""
