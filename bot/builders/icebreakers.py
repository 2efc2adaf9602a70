"""Questions to break the ice; which one a group gets follows from the round's seed."""

from __future__ import annotations

import random

ICEBREAKERS = (
    "What's something you learned recently that surprised you?",
    "What did you want to be when you were ten?",
    "Which tool or habit saves you the most time at work?",
    "What's a project you're quietly proud of?",
    "If you could swap jobs with anyone here for a week, who would it be?",
    "What's the best piece of advice you've been given?",
    "What are you reading, watching or listening to at the moment?",
    "What does a really good workday look like for you?",
    "Which skill would you love to get better at this year?",
    "What's a small thing that made your week better?",
    "What's the most unusual job you've had?",
    "Where would you go for a month if work could come along?",
    "What's something most people here don't know about your team?",
    "Which problem would you solve if you had a month with no meetings?",
    "What's a hobby you picked up and actually kept?",
    "What's the last thing you changed your mind about?",
    "Who taught you something that stuck with you, and what was it?",
    "What's your favourite way to spend a Saturday morning?",
    "What's a question you wish people asked you more often?",
    "Which part of your job would you explain to a five-year-old, and how?",
)


def icebreaker(seed: int, position: int) -> str:
    """The same question for the same round and group, every time it is rendered."""
    return random.Random(f"{seed}:{position}").choice(ICEBREAKERS)
