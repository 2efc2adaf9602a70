"""The program-lead dashboard: server-rendered pages and exports under ``/dashboard``.

``routes.register(app, core)`` mounts it on the web app; a lead reaches it through a
signed, expiring link from Slack (``links``, ``tokens``); ``bot.services.dashboard``
builds what the pages show.
"""
