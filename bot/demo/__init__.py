"""``mentorbot demo``: the whole product on a simulated Slack workspace, on loopback."""
