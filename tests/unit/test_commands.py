"""The /mentor grammar, table-driven (as recursecenter/pairing-bot tests parse_cmd)."""

from __future__ import annotations

import pytest

from bot.commands import BadWeeks, Command, MissingProgram, Verb, parse

CASES = [
    ("", Command(Verb.HELP)),
    ("   ", Command(Verb.HELP)),
    ("help", Command(Verb.HELP)),
    ("HELP", Command(Verb.HELP)),
    ("?", Command(Verb.HELP)),
    ("signup", Command(Verb.SIGNUP)),
    ("end", Command(Verb.END)),
    ("END  we never found   the time", Command(Verb.END, reason="we never found the time")),
    ("Sign up", Command(Verb.SIGNUP)),
    ("join", Command(Verb.SIGNUP)),
    ("signup coffee", Command(Verb.SIGNUP, program="coffee")),
    ('signup "coffee club"', Command(Verb.SIGNUP, program="coffee club")),
    ("signup “coffee club”", Command(Verb.SIGNUP, program="coffee club")),
    ("profile", Command(Verb.PROFILE)),
    ("pause", Command(Verb.PAUSE)),
    ("pause 3", Command(Verb.PAUSE, weeks=3)),
    ("pause 3 weeks", Command(Verb.PAUSE, weeks=3)),
    ("pause 2w", Command(Verb.PAUSE, weeks=2)),
    ("pause 52", Command(Verb.PAUSE, weeks=52)),
    ("resume", Command(Verb.RESUME)),
    ("unpause", Command(Verb.RESUME)),
    ("leave", Command(Verb.LEAVE)),
    ("leave mentoring", Command(Verb.LEAVE, program="mentoring")),
    ("match", Command(Verb.MATCH)),
    ("round coffee", Command(Verb.ROUND, program="coffee")),
    ("round   Coffee   Club ", Command(Verb.ROUND, program="Coffee Club")),
    ("history coffee", Command(Verb.HISTORY, program="coffee")),
    ("stats 'coffee'", Command(Verb.STATS, program="coffee")),
    ("program", Command(Verb.PROGRAM)),
    ("program coffee", Command(Verb.PROGRAM, program="coffee")),
    ("dashboard", Command(Verb.DASHBOARD)),
    ("Dash", Command(Verb.DASHBOARD)),
    ("round &lt;coffee&gt; &amp; tea", Command(Verb.ROUND, program="<coffee> & tea")),
    ("dance", Command(Verb.HELP, unknown="dance")),
    ("<!channel> hi", Command(Verb.HELP, unknown="!channel")),
    ("☕️ please", Command(Verb.HELP, unknown="☕️")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_parse_reads_the_command(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["pause abc", "pause 0", "pause 53", "pause -1", "pause 1.5"])
def test_a_bad_number_of_weeks_is_a_typed_error_that_says_how_to_fix_it(text: str) -> None:
    with pytest.raises(BadWeeks) as caught:
        parse(text)
    assert "/mentor pause 2" in str(caught.value)


@pytest.mark.parametrize("verb", ["round", "history", "stats"])
def test_lead_commands_without_a_program_ask_which_program(verb: str) -> None:
    with pytest.raises(MissingProgram) as caught:
        parse(verb + "   ")
    assert f"/mentor {verb} PROGRAM" in str(caught.value)


def test_lead_only_commands_are_marked() -> None:
    assert parse("round coffee").lead_only
    assert parse("program").lead_only
    assert not parse("pause").lead_only


def test_ten_kilobytes_of_anything_parse_without_trouble() -> None:
    long_word = "x" * 10_000
    assert parse(long_word).verb is Verb.HELP
    assert len(parse(long_word).unknown or "") <= 30
    assert len(parse("round " + long_word).program or "") == 80
    with pytest.raises(BadWeeks) as caught:
        parse("pause " + "9" * 10_000)
    assert len(str(caught.value)) < 300


def test_quoted_back_text_carries_no_markup() -> None:
    command = parse("*bold*`code`<@U123>")
    assert command.unknown is not None
    assert not set(command.unknown) & set("*`<>&")
