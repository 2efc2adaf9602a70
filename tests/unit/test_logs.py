"""What mentorbot's logging set-up (and the Slack adapter's) keeps out of an operator's
log."""

from __future__ import annotations

import logging

import pytest
from slack_bolt.async_app import AsyncApp

from bot import logs
from bot.slack.client import web_client
from bot.slack.logs import quiet_bolt


def test_a_refused_request_is_logged_without_its_body(caplog: pytest.LogCaptureFixture) -> None:
    logs.configure("DEBUG")
    quiet_bolt()
    verification = logging.getLogger("slack_bolt.AsyncRequestVerification")
    with caplog.at_level(logging.DEBUG):
        verification.info(
            "Invalid request signature detected (signature: v0=1, timestamp: 2, body: %s)",
            "text=my+salary+is+private",
        )
    assert "Invalid request signature: refused" in caplog.text
    assert "salary" not in caplog.text


def test_bolt_does_not_warn_that_the_shared_token_variable_goes_unused(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    logs.configure("INFO")
    quiet_bolt()
    with caplog.at_level(logging.DEBUG):
        AsyncApp(
            signing_secret="s",
            client=web_client("xoxb-from-the-environment", "http://127.0.0.1:9/api/", timeout=30),
        )
    assert "will be unused" not in caplog.text
