"""Use cases. They speak to storage through a unit of work and to chat through the
``ChatPlatform`` port; they never import Slack or Teams packages."""
