"""Dashboard rendering: whatever people typed is shown as text, never as markup; the pages
say what a lead needs; the access log never records a token."""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.builders.lead_reports import dashboard_message
from bot.commands import Verb, parse
from bot.dashboard.access import RedactTokens
from bot.dashboard.charts import Bar, bar_chart
from bot.dashboard.html import Safe, join, tag
from bot.dashboard.layout import Viewer, error_page
from bot.dashboard.links import DashboardLink
from bot.dashboard.overview import overview_page
from bot.dashboard.program import program_page
from bot.services.dashboard import (
    Counts,
    GroupRow,
    Overview,
    ProgramCard,
    ProgramPage,
    RoundPoint,
    RoundRow,
)
from bot.services.exports import csv_text
from bot.viewmodels import GroupHistory, ProgramHistory, ProgramReport, RoundHistory
from pairing.metrics import program_stats
from pairing.models import Outcome, PastGroup
from storage.records import ProgramRecord, WorkspaceRecord

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EVIL = "<script>alert('x')</script>"
VIEWER = Viewer(EVIL, "Acme & <Co>", NOW + timedelta(hours=12))


def _card(name: str = EVIL, *, rounds: bool = True) -> ProgramCard:
    program = ProgramRecord(7, name, "coffee", "every monday at 09:00", "Europe/Berlin")
    past = [PastGroup(1, frozenset({"U1", "U2"}), Outcome.MET)] if rounds else []
    stats = program_stats(past, teams={"U1": EVIL, "U2": "Data"}, enrolled=["U1", "U2", "U3"])
    report = ProgramReport(
        program, stats, stats if rounds else None, 1 if rounds else None, NOW + timedelta(days=7)
    )
    return ProgramCard(report, Counts(enrolled=3, active=2, paused=1))


def _page(**changes: object) -> ProgramPage:
    fields: dict[str, object] = {
        "card": _card(),
        "timeline": (RoundPoint(1, NOW, groups=1, reported=1, met=1, new_ties=1, left_out=1),),
        "team_links": ((EVIL, "Data"),),
        "never_matched": (EVIL,),
        "left_out_now": ((EVIL, "alone"),),
        "ignoring": ((EVIL, 3),),
        "rounds": (
            RoundRow(
                1,
                NOW,
                delivered=True,
                trigger="schedule",
                groups=(GroupRow((EVIL, "Former member"), "met", ("mentor", "mentee")),),
                hidden_groups=0,
                left_out=((EVIL, "alone"),),
            ),
        ),
        "page": 1,
        "pages": 1,
    }
    fields.update(changes)
    return ProgramPage(**fields)  # type: ignore[arg-type]


def _text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_builder_escapes_text_and_attributes_but_not_its_own_markup() -> None:
    made = tag("a", EVIL, tag("b", "&"), href='"><script>', class_="x")
    assert made == (
        '<a href="&quot;&gt;&lt;script&gt;" class="x">'
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<b>&amp;</b></a>"
    )
    assert join(["<i>", Safe("<i>"), None, [1, (2,)]]) == "&lt;i&gt;<i>12"


@pytest.mark.parametrize(
    "render",
    [
        lambda: program_page(_page(), VIEWER),
        lambda: overview_page(
            Overview(WorkspaceRecord(1, "slack", "T1", EVIL), (_card(),)), VIEWER
        ),
        lambda: error_page(EVIL, EVIL, hint=EVIL),
    ],
    ids=["program", "overview", "error"],
)
def test_nothing_anyone_typed_becomes_markup(render) -> None:
    page = render()
    assert "<script>" not in page and "alert('x')" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<style>") == 1 and "<script" not in page


def test_the_program_page_shows_impact_people_left_out_and_the_rounds() -> None:
    seen = _text(program_page(_page(), VIEWER))
    assert "1 rounds" in seen and "1 meetings held (of 1 answered)" in seen
    assert "100% meeting rate" in seen and "67% participation (2 of 3 matched)" in seen
    assert "3 enrolled (2 active, 1 paused)" in seen
    assert "Never matched" in seen and "Left out of round 1" in seen
    assert "3 check-ins unanswered in a row" in seen
    assert "(mentor), Former member met" in seen
    assert "Round 1 · Mon 23 Nov, 10:00 (Europe/Berlin) · 1 group · delivered" in seen
    assert "Download CSV" in seen and "/dashboard/programs/7/history.json" in program_page(
        _page(), VIEWER
    )


def test_rounds_come_a_page_at_a_time_with_links_both_ways() -> None:
    page = program_page(_page(page=2, pages=3), VIEWER)
    assert 'href="/dashboard/programs/7?page=1#rounds"' in page
    assert 'href="/dashboard/programs/7?page=3#rounds"' in page
    assert "Page 2 of 3" in page


def test_a_program_without_rounds_says_so_instead_of_zeros() -> None:
    card = _card("coffee", rounds=False)
    overview = overview_page(Overview(WorkspaceRecord(1, "slack", "T1", "Acme"), (card,)), VIEWER)
    assert "No rounds yet" in overview and "Mon 30 Nov, 10:00 (Europe/Berlin)" in _text(overview)
    page = program_page(_page(card=card, timeline=(), rounds=(), left_out_now=()), VIEWER)
    assert "No rounds yet." in page and "<svg" not in page


def test_charts_draw_missing_values_as_outlines_and_escape_tooltips() -> None:
    svg = bar_chart([Bar("1", 50, EVIL), Bar("2", None, "nobody answered")], top=100, caption=EVIL)
    assert svg.count('class="bar"') == 1 and svg.count('class="none"') == 1
    assert "<script>" not in svg and 'role="img"' in svg


def test_csv_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    history = ProgramHistory(
        '=HYPERLINK("http://evil")',
        (RoundHistory(1, NOW, (GroupHistory(("U1", "U2"), ("@boss", "Ada"), "met"),)),),
    )
    header, row = csv.reader(io.StringIO(csv_text(history)))
    assert header == ["program", "round", "created_at", "group", "members", "names", "outcome"]
    assert row[0] == '\'=HYPERLINK("http://evil")' and row[5] == "'@boss; Ada"


def test_the_access_log_never_shows_a_dashboard_token() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.access")
    logger.addHandler(handler)
    logger.addFilter(RedactTokens())
    try:
        logger.warning(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/dashboard/login?token=eyJ2.SIG&x=1",
            "1.1",
            303,
        )
    finally:
        logger.removeHandler(handler)
    assert "eyJ2" not in stream.getvalue() and "token=[redacted]&x=1" in stream.getvalue()


def test_dashboard_is_a_lead_command_without_arguments() -> None:
    assert parse("dashboard").verb is Verb.DASHBOARD and parse("dashboard").lead_only
    assert parse("dash").verb is Verb.DASHBOARD


def test_the_reply_is_a_button_with_the_link_or_the_path_and_how_to_set_public_url() -> None:
    expires = NOW + timedelta(hours=12)
    with_url = dashboard_message(
        DashboardLink(
            "/dashboard/login?token=t.s", "https://m.example/dashboard/login?token=t.s", expires
        ),
        time_zone="Europe/Berlin",
    )
    section = with_url.blocks[0]
    assert section.accessory is not None  # type: ignore[union-attr]
    assert section.accessory.url == "https://m.example/dashboard/login?token=t.s"  # type: ignore[union-attr]
    assert "token" not in with_url.text and "Mon 23 Nov, 22:00" in section.text  # type: ignore[union-attr]
    without = dashboard_message(
        DashboardLink("/dashboard/login?token=t.s", None, expires), time_zone="UTC"
    )
    assert "PUBLIC_URL" in without.blocks[0].text  # type: ignore[union-attr]
    assert "`/dashboard/login?token=t.s`" in without.blocks[0].text  # type: ignore[union-attr]


def test_a_program_of_a_kind_this_version_does_not_know_still_lists_politely() -> None:
    from dataclasses import replace

    from bot.builders.home import home_blocks
    from bot.viewmodels import HomeData
    from storage.repositories import Profile

    card = _card("tea time")
    program = replace(card.program, kind="tea")
    card = ProgramCard(replace(card.report, program=program), card.counts)
    overview = _text(
        overview_page(Overview(WorkspaceRecord(1, "slack", "T1", "Acme"), (card,)), VIEWER)
    )
    page = _text(program_page(_page(card=card), VIEWER))
    home = str(home_blocks(HomeData(Profile("U1", "ada"), NOW, (), (), lead=(card.report,))))
    assert "unknown kind “tea”" in overview and "unknown kind “tea”" in page
    assert "unknown kind “tea”" in home
    assert "the only one available" in page  # left-out reasons in common words
