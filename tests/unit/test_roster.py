"""Checking a round's members against the platform: one by one, or page by page."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import UnknownUser
from bot.platform import TransientError, UserPage
from bot.services.roster import check_people
from storage.records import EnrollmentRecord, PersonRecord
from storage.repositories import Profile


@dataclass
class Directory:
    """A platform with ``size`` people u0…, of whom ``deactivated`` are gone."""

    size: int
    deactivated: set[str] = field(default_factory=set)
    page_size: int = 200
    broken: bool = False
    pages: int = 0
    lookups: int = 0

    async def list_users(self, cursor: str | None = None) -> UserPage:
        if self.broken:
            raise TransientError("users.list: HTTP 503")
        self.pages += 1
        start = int(cursor or 0)
        ids = [f"u{i}" for i in range(start, min(start + self.page_size, self.size))]
        more = start + self.page_size < self.size
        return UserPage(
            profiles=tuple(Profile(u, u.upper()) for u in ids if u not in self.deactivated),
            gone=tuple(u for u in ids if u in self.deactivated),
            next_cursor=str(start + self.page_size) if more else None,
        )

    async def user_profile(self, user_id: str) -> Profile:
        self.lookups += 1
        known = user_id[1:].isdigit() and int(user_id[1:]) < self.size
        if not known or user_id in self.deactivated:
            raise UnknownUser(user_id)
        return Profile(user_id, user_id.upper())


def _enrolled(*user_ids: str) -> list[EnrollmentRecord]:
    return [
        EnrollmentRecord(id=i, program_id=1, person=PersonRecord(id=i, user_id=u, display_name=u))
        for i, u in enumerate(user_ids)
    ]


async def test_a_small_round_looks_each_person_up() -> None:
    directory = Directory(size=1000, deactivated={"u3"})
    checked = await check_people(directory, _enrolled("u1", "u2", "u3", "ghost"))  # type: ignore[arg-type]
    assert (directory.pages, directory.lookups) == (0, 4)
    assert checked.gone == ("ghost", "u3")
    assert sorted(checked.profiles) == ["u1", "u2"]


async def test_a_large_round_reads_the_directory_in_a_few_pages() -> None:
    directory = Directory(size=1200, deactivated={"u8"})
    members = [f"u{i}" for i in range(0, 1200, 2)] + ["ghost"]
    checked = await check_people(directory, _enrolled(*members))  # type: ignore[arg-type]
    assert (directory.pages, directory.lookups) == (6, 0)
    assert checked.gone == ("ghost", "u8")
    assert len(checked.profiles) == 599


async def test_paging_stops_at_its_budget_and_looks_up_the_rest() -> None:
    directory = Directory(size=100_000)
    members = [f"u{i}" for i in range(99_000, 99_150)]  # at the end of a huge directory
    checked = await check_people(directory, _enrolled(*members))  # type: ignore[arg-type]
    assert directory.pages == 30  # 150 members x 0.2 pages each
    assert directory.lookups == 150
    assert len(checked.profiles) == 150 and checked.gone == ()


async def test_a_failing_directory_falls_back_to_lookups() -> None:
    directory = Directory(size=500, broken=True)
    members = [f"u{i}" for i in range(120)]
    checked = await check_people(directory, _enrolled(*members))  # type: ignore[arg-type]
    assert directory.lookups == 120 and len(checked.profiles) == 120
