"""The pure parts of the Teams adapter: neutral messages as Adaptive Cards, Microsoft's
answers as the port's errors, what an activity says, and time zones from Windows names."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.builders import replies
from bot.builders.help import help_message
from bot.messages import Actions, Button, Context, Divider, Header, Message, Section
from bot.platform import PermanentError, RateLimited, TransientError
from bot.teams import cards
from bot.teams.activity import BadActivity, parse, read
from bot.teams.errors import classify
from bot.teams.markdown import card_text
from bot.teams.profiles import iana


@pytest.mark.parametrize(
    ("neutral", "shown"),
    [
        ("Try `/mentor signup` to join.", "Try **signup** to join."),
        ("`/mentor pause 2` or `/mentor`", "**pause 2** or **help**"),
        ("*coffee* is _fun_", "**coffee** is _fun_"),
        ("Tom &amp; Jerry &lt;3 &gt;", "Tom & Jerry <3 >"),
        ("set `PUBLIC_URL` first", "set **PUBLIC_URL** first"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_the_neutral_markup_becomes_what_adaptive_cards_show(neutral: str, shown: str) -> None:
    assert card_text(neutral) == shown


def test_a_message_becomes_a_card_with_universal_actions_and_its_key() -> None:
    message = Message(
        text="Did you meet?",
        blocks=(
            Header("Hello"),
            Section("line one\nline two", fields=("*A*\n1", "*B*\n2")),
            Divider(),
            Context(("small", "print")),
            Actions(
                (
                    Button("We met", "checkin_met", "17", style="primary"),
                    Button("Leave", "mentor_leave_confirm", "3", style="danger", confirm="Sure?"),
                    Button("Open", "mentor_open_dashboard", url="https://x.example/d"),
                )
            ),
        ),
    )
    activity = cards.activity(message, key="r1:g2:intro")
    card = activity["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert activity["summary"] == "Did you meet?"
    text = json.dumps(card)
    assert '"text": "line one"' in text and '"text": "line two"' in text
    actions = card["body"][-2]["actions"]
    assert actions[0] == {
        "type": "Action.Execute",
        "title": "We met",
        "verb": "checkin_met",
        "data": {"action_id": "checkin_met", "value": "17"},
        "style": "positive",
    }
    assert actions[1]["type"] == "Action.ShowCard"  # asks first
    assert actions[1]["card"]["actions"][0]["style"] == "destructive"
    assert actions[2] == {"type": "Action.OpenUrl", "title": "Open", "url": "https://x.example/d"}
    assert any(b.get("separator") for b in card["body"])  # the divider
    marker = card["body"][-1]
    assert marker["id"] == "mentorbot-key:r1:g2:intro" and marker["isVisible"] is False


def test_the_home_card_marks_its_buttons_and_refreshes_itself() -> None:
    home = Message("home", (Actions((Button("Pause", "mentor_pause", "1"),)),))
    refresh = {"action": {"type": "Action.Execute", "verb": "mentorbot.home"}}
    card = cards.card(home, refresh=refresh, home=True)
    assert card["refresh"] == refresh
    assert card["body"][0]["actions"][0]["data"]["home"] is True


def test_a_card_too_big_for_teams_is_shortened_not_refused() -> None:
    long = Message("history", tuple(Section("x" * 3000) for _ in range(40)))
    card = cards.card(long, key="k")
    assert len(json.dumps(card).encode()) <= cards.MAX_CARD_BYTES
    assert "shortened" in json.dumps(card) and card["body"][-1]["id"] == "mentorbot-key:k"


def test_help_reads_as_words_to_type() -> None:
    text = json.dumps(cards.card(help_message()))
    assert "/mentor" not in text and "**pause [WEEKS]**" in text


def test_replies_never_say_slack() -> None:
    assert "Slack" not in replies.UNKNOWN_SELF


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind", "code"),
    [
        (429, {"Retry-After": "7"}, "", RateLimited, "ratelimited"),
        (412, {}, "", TransientError, "http_412"),
        (502, {}, "", TransientError, "http_502"),
        (504, {}, "", TransientError, "http_504"),
        (401, {}, "", TransientError, "http_401"),
        (
            403,
            {},
            json.dumps({"errorCode": 209, "message": '{"subCode": "MessageWritesBlocked"}'}),
            PermanentError,
            "MessageWritesBlocked",
        ),
        (
            403,
            {},
            '{"error": {"code": "BotNotInConversationRoster"}}',
            PermanentError,
            "BotNotInConversationRoster",
        ),
        (
            404,
            {},
            '{"error": {"code": "ConversationNotFound"}}',
            PermanentError,
            "ConversationNotFound",
        ),
    ],
)
def test_microsofts_answers_become_the_ports_errors(status, headers, body, kind, code) -> None:
    error = classify("send", status, headers, body)
    assert type(error) is kind and error.code == code


def test_retry_after_as_seconds_or_an_http_date() -> None:
    assert classify("send", 429, {"Retry-After": "2.5"}, "").retry_after == 2.5  # type: ignore[attr-defined]
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    waited = classify("send", 429, {"Retry-After": later}, "").retry_after  # type: ignore[attr-defined]
    assert 25 <= waited <= 31
    assert classify("send", 429, {}, "").retry_after == 1.0  # type: ignore[attr-defined]


def _activity(**extra: object) -> dict[str, object]:
    return {
        "type": "message",
        "serviceUrl": "https://smba.example/teams/",
        "channelId": "msteams",
        "conversation": {
            "id": "19:abc@thread.tacv2",
            "conversationType": "channel",
            "tenantId": "t1",
        },
        "from": {"id": "29:xyz", "aadObjectId": "aad-1", "name": "Ada"},
        "recipient": {"id": "28:bot"},
        **extra,
    }


def test_an_activity_reads_the_command_without_the_bots_mention_or_markup() -> None:
    activity = parse(
        _activity(
            text="<at>mentorbot</at> pause&nbsp;2 <p></p>",
            entities=[
                {"type": "mention", "text": "<at>mentorbot</at>", "mentioned": {"id": "28:bot"}},
                {"type": "clientInfo", "timezone": "Europe/Berlin"},
            ],
        )
    )
    assert activity.text == "pause 2" and activity.user_id == "aad-1"
    assert activity.time_zone == "Europe/Berlin" and activity.tenant_id == "t1"
    assert not activity.personal


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"nope",
        b"[]",
        b'{"type": "message"}',
        json.dumps({"type": "message", "serviceUrl": "x"}).encode(),
    ],
)
def test_a_body_that_is_no_activity_is_refused(body: bytes) -> None:
    with pytest.raises(BadActivity):
        read(body)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("UTC", "UTC"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Customized Time Zone", None),
        ("", None),
        (None, None),
    ],
)
def test_windows_time_zones_become_iana(zone: str | None, expected: str | None) -> None:
    assert iana(zone) == expected
