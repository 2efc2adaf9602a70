"""Teams' documented limits, by neutral operation (what the pacer keeps to).

Bot Framework, per bot and conversation: sending, updating and creating conversations
7 per second, 8 per 2 s, 60 per 30 s (1,800 an hour); reading members 14 per second,
120 per 30 s. Per app and tenant: about 30 requests a second in all. Microsoft Graph's
``POST /chats``: 20 per 10 s per app and tenant. (MicrosoftDocs/msteams-docs
``bots/how-to/rate-limit.md``; microsoft-graph-docs ``throttling-teams-graphsvc.md``.)

The pacer keeps one limit per operation and scope, so where Teams has several windows
the tightest sustained one is used: 2 a second per conversation is at most 7 in one
second, 8 in two and 60 in thirty. Opening a conversation may create a group chat, so
it keeps Graph's 20 per 10 s. A 429 that still comes (other bots, other processes) is
honoured with its ``Retry-After``.
"""

from __future__ import annotations

from bot.platform import Limit, Op, RateLimits

# The Bot Connector or Graph call behind each neutral operation (for logs and benchmarks).
METHODS: dict[Op, str] = {
    Op.PROFILE: "GET members/{id} or Graph /users/{id}",
    Op.LIST_USERS: "Graph GET /users",
    Op.OPEN: "POST /v3/conversations or Graph POST /chats",
    Op.SEND: "POST /v3/conversations/{id}/activities",
    Op.UPDATE: "PUT /v3/conversations/{id}/activities/{activityId}",
    Op.FIND_SENT: "Graph GET /chats/{id}/messages",
    Op.EPHEMERAL: "POST /v3/conversations/{id}/activities",
    Op.HOME: "PUT /v3/conversations/{id}/activities/{activityId}",
}

TEAMS_LIMITS = RateLimits(
    per_workspace={
        Op.SEND: Limit(30, 1.0),
        Op.UPDATE: Limit(30, 1.0),
        Op.EPHEMERAL: Limit(30, 1.0),
        Op.HOME: Limit(30, 1.0),
        Op.OPEN: Limit(20, 10.0),
        Op.PROFILE: Limit(14, 1.0),
        Op.LIST_USERS: Limit(5, 1.0),
        Op.FIND_SENT: Limit(10, 1.0),
    },
    per_conversation={Op.SEND: Limit(2, 1.0), Op.UPDATE: Limit(2, 1.0)},
)
