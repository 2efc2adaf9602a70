"""Slack's documented rate limits, by neutral operation (what the pacer keeps to).

Slack limits each Web API method per app per workspace: Tier 3 methods
(``conversations.open``, ``conversations.history``, ``chat.update``) 50+ calls a minute,
Tier 4 (``users.info``, ``chat.postEphemeral``, ``views.publish``) 100+, Tier 2
(``users.list``) 20+; ``chat.postMessage`` about one message per second per channel,
with a workspace-wide limit on top (we take the "1 per second" of Slack's overview
table for that, which never slows a round down: ``conversations.open`` is the tighter
limit).
"""

from __future__ import annotations

from bot.platform import Limit, Op, RateLimits

# The Web API method behind each neutral operation (for logs and benchmarks).
METHODS: dict[Op, str] = {
    Op.PROFILE: "users.info",
    Op.LIST_USERS: "users.list",
    Op.OPEN: "conversations.open",
    Op.SEND: "chat.postMessage",
    Op.UPDATE: "chat.update",
    Op.FIND_SENT: "conversations.history",
    Op.EPHEMERAL: "chat.postEphemeral",
    Op.HOME: "views.publish",
}

SLACK_LIMITS = RateLimits(
    per_workspace={
        Op.PROFILE: Limit(100, 60),  # Tier 4
        Op.LIST_USERS: Limit(20, 60),  # Tier 2
        Op.OPEN: Limit(50, 60),  # Tier 3
        Op.FIND_SENT: Limit(50, 60),  # Tier 3 (see README for non-Marketplace apps)
        Op.UPDATE: Limit(50, 60),  # Tier 3
        Op.SEND: Limit(60, 60),  # special: workspace-wide ceiling, 1/s
        Op.EPHEMERAL: Limit(100, 60),  # Tier 4
        Op.HOME: Limit(100, 60),  # Tier 4
    },
    per_conversation={Op.SEND: Limit(1, 1.0)},
)
