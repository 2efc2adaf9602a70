"""Microsoft Teams as a platform adapter: Bot Framework activities in at
``POST /api/messages`` (authenticated by their JWT), Adaptive Cards out through the Bot
Connector, profiles and group chats through Microsoft Graph.

Nothing here is imported unless Teams is configured (``TEAMS_APP_ID`` and
``TEAMS_APP_PASSWORD``): ``plugin.py`` is the one module the composition root loads.
"""
