"""A simulated Microsoft on loopback — Bot Framework's OpenID document and signing keys,
an OAuth2 token endpoint, the Bot Connector and Microsoft Graph — and a driver that acts
as the Teams client (activities signed exactly as Bot Framework signs them). For the
tests and ``mentorbot demo --platform teams``; it listens on 127.0.0.1 only."""
