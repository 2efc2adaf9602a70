"""A believable company for the demo: names, titles, teams, time zones, interests.

Deterministic for a seed, so a demo run can be repeated exactly. The first person is a
workspace admin: the program lead who creates the programs.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


FIRST_NAMES = _words(
    "Ada, Grace, Alan, Katherine, Linus, Margaret, Tim, Barbara, Dennis, Frances, Ken, Hedy,"
    "Guido, Radia, Edsger, Shafi, Donald, Anita, Bjarne, Joan, Yukihiro, Sophie, Kwame,"
    "Priya, Mateo, Aiko, Oluwaseun, Ingrid, Rafael, Mei, Tomás, Leila, Arjun, Freya, Kofi,"
    "Valentina, Hiroshi, Amara, Lars, Nadia, Diego, Zainab, Mikko, Chiara, Emeka, Ana,"
    "Jonas, Fatima, Wei, Isabel"
)
LAST_NAMES = _words(
    "Lovelace, Hopper, Turing, Johnson, Torvalds, Hamilton, Berners-Lee, Liskov, Ritchie,"
    "Allen, Thompson, Lamarr, van Rossum, Perlman, Dijkstra, Goldwasser, Knuth, Borg,"
    "Stroustrup, Clarke, Matsumoto, Wilson, Mensah, Raman, García, Tanaka, Adeyemi, Larsen,"
    "Costa, Chen, Novak, Haddad, Iyer, Nielsen, Owusu, Rossi, Sato, Okafor, Eriksson, Petrova"
)
# department → its teams, each with titles from junior to lead
DEPARTMENTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "Engineering": (
        ("Platform", _words("Backend Engineer, Site Reliability Engineer, Staff Engineer")),
        ("Mobile", _words("iOS Engineer, Android Engineer, Engineering Manager")),
        ("Web", _words("Frontend Engineer, Full-stack Engineer, Tech Lead")),
    ),
    "Product": (("Product", _words("Product Manager, Senior Product Manager, Head of Product")),),
    "Design": (("Design", _words("Product Designer, UX Researcher, Design Lead")),),
    "Data": (("Data", _words("Data Scientist, Analytics Engineer, ML Engineer")),),
    "Sales": (("Sales", _words("Account Executive, Sales Engineer, Sales Director")),),
    "Marketing": (("Marketing", _words("Content Strategist, Growth Marketer, Brand Lead")),),
    "People": (("People", _words("Recruiter, People Partner, Head of People")),),
    "Finance": (("Finance", _words("Financial Analyst, Controller, CFO")),),
}
TIME_ZONES = _words(
    "Europe/London, Europe/Berlin, Europe/Helsinki, America/New_York, America/Chicago,"
    "America/Los_Angeles, America/Sao_Paulo, Asia/Kolkata, Asia/Singapore, Australia/Sydney"
)
INTERESTS = _words(
    "climbing, running, board games, chess, cooking, baking, coffee, jazz, photography,"
    "hiking, cycling, gardening, sci-fi, poetry, podcasts, football, yoga, travel, film,"
    "knitting, vinyl, sailing, tea, history"
)
# Skills people can teach: some any senior person has, some their department's own.
GENERAL_SKILLS = _words("career growth, public speaking, management, mentoring, writing")
DEPARTMENT_SKILLS = {
    "Engineering": _words("system design, python, code review"),
    "Product": _words("product strategy, roadmapping"),
    "Design": _words("design critique, user research"),
    "Data": _words("data storytelling, python, statistics"),
    "Sales": _words("negotiation, sales discovery"),
    "Marketing": _words("writing, storytelling"),
    "People": _words("hiring, coaching"),
    "Finance": _words("budgeting, forecasting"),
}
SKILLS = tuple(sorted({*GENERAL_SKILLS, *(s for d in DEPARTMENT_SKILLS.values() for s in d)}))
WORKING_HOURS = (("09:00", "17:00"), ("08:00", "16:00"), ("10:00", "18:30"), ("09:30", "17:30"))


@dataclass(frozen=True, slots=True)
class DemoPerson:
    user_id: str
    real_name: str
    title: str
    department: str
    team: str
    time_zone: str
    interests: tuple[str, ...]
    seniority: int  # 0 junior … 3 lead
    skills: tuple[str, ...]  # what they could teach
    goals: tuple[str, ...]  # what they want to learn
    work_start: str = "09:00"
    work_end: str = "17:00"
    prefers_cross_team: bool = False
    mentorship_role: str | None = None  # "mentor", "mentee", or None (coffee only)
    is_admin: bool = False

    @property
    def first_name(self) -> str:
        return self.real_name.split(" ", 1)[0]


def make_people(count: int, *, seed: int) -> list[DemoPerson]:
    """``count`` distinct people; the first is a workspace admin (the program lead)."""
    rng = random.Random(seed)
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    zones = rng.sample(TIME_ZONES, k=min(5, len(TIME_ZONES)))
    people: list[DemoPerson] = []
    for index in range(count):
        # distinct first names while they last, and distinct full names for 2,000 people
        first = firsts[index % len(firsts)]
        last = lasts[(index + index // len(firsts)) % len(lasts)]
        department = rng.choice(list(DEPARTMENTS))
        team, titles = rng.choice(DEPARTMENTS[department])
        seniority = rng.choices((0, 1, 2, 3), weights=(3, 4, 2, 1))[0]
        if index == 0:  # the program lead works in People
            department, (team, titles), seniority = "People", DEPARTMENTS["People"][0], 3
        start, end = rng.choices(WORKING_HOURS, weights=(6, 2, 1, 1))[0]
        people.append(
            DemoPerson(
                user_id=f"U{index + 1:04d}DEMO",
                real_name=f"{first} {last}",
                title=titles[min(seniority, len(titles) - 1)],
                department=department,
                team=team,
                time_zone=zones[rng.randrange(len(zones))],
                interests=tuple(sorted(rng.sample(INTERESTS, k=rng.randint(2, 4)))),
                seniority=seniority,
                skills=_skills(department, seniority, rng),
                goals=_goals(department, rng),
                work_start=start,
                work_end=end,
                prefers_cross_team=rng.random() < 0.35,
                mentorship_role=_mentorship_role(seniority, rng),
                is_admin=index == 0,
            )
        )
    return _with_both_roles(people)


def _with_both_roles(people: list[DemoPerson]) -> list[DemoPerson]:
    """A small company still gets a mentor and two mentees (the most and least senior)."""
    if len(people) < 4:
        return people
    by_seniority = sorted(people[1:], key=lambda p: (p.seniority, p.user_id))
    wanted = {"mentor": 1, "mentee": 2}
    for role, picks in (("mentor", by_seniority[::-1]), ("mentee", by_seniority)):
        have = sum(1 for p in people if p.mentorship_role == role)
        for pick in picks[: max(0, wanted[role] - have)]:
            people[people.index(pick)] = dataclasses.replace(pick, mentorship_role=role)
    return people


def _skills(department: str, seniority: int, rng: random.Random) -> tuple[str, ...]:
    own = DEPARTMENT_SKILLS[department]
    found = rng.sample(own, k=min(len(own), 1 + seniority // 2))
    found += rng.sample(GENERAL_SKILLS, k=1 + seniority // 3)
    return tuple(sorted(set(found)))


def _goals(department: str, rng: random.Random) -> tuple[str, ...]:
    """Mostly the general skills; sometimes another department's craft."""
    other = rng.choice([d for d in DEPARTMENT_SKILLS if d != department])
    pool = [*GENERAL_SKILLS, *GENERAL_SKILLS, *DEPARTMENT_SKILLS[other]]
    return tuple(sorted(set(rng.sample(pool, k=rng.randint(1, 2)))))


def _mentorship_role(seniority: int, rng: random.Random) -> str | None:
    """Most seniors mentor, most juniors want a mentor, some in between do either."""
    draw = rng.random()
    if seniority >= 2:
        return "mentor" if draw < 0.8 else None
    if seniority == 0:
        return "mentee" if draw < 0.85 else None
    return "mentee" if draw < 0.35 else None
