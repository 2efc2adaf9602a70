"""``mentorbot demo``'s run: the stage, the play, the numbers, and (if asked) serving on."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from bot.demo.company import TEAM_ID
from bot.demo.console import Console
from bot.demo.explore import serving_lines
from bot.demo.people import make_people
from bot.demo.play import intro_line, play, show_messages, show_numbers
from bot.demo.stage import SPEEDUP, Stage, stage
from bot.demo.term import play_term, show_mentoring_stats


async def run(args: argparse.Namespace, *, people: int, rounds: int, seed: int) -> None:
    console = Console()
    company = make_people(people, seed=seed)
    async with stage(company, database_url=args.database_url, speedup=SPEEDUP) as here:
        console.lines(intro_line(here, SPEEDUP))
        played = await play(here, console, rounds=rounds, seed=seed)
        await play_term(here, console, seed=seed)
        await show_messages(here, console, played)
        await show_numbers(here, console, played)
        await show_mentoring_stats(here, console)
        console.heading(
            f"Done in {console.elapsed():.1f} s (seed {seed}; --seed changes everything)."
        )
        history = f"mentorbot history coffee --workspace {TEAM_ID}"
        if args.database_url:
            console.line(f"The database is kept: DATABASE_URL='{args.database_url}' {history}")
        else:
            console.line("To keep the data: --database-url sqlite:///demo.db, and afterwards")
            console.line(f"  DATABASE_URL=sqlite:///demo.db {history}")
            if not args.keep_serving:
                console.line("To explore the running app: --keep-serving.")
        if args.keep_serving:
            await _keep_serving(here, console)


async def _keep_serving(here: Stage, console: Console) -> None:
    console.heading("Still serving, with the simulated workspace's data (Ctrl-C stops):")
    console.lines(serving_lines(here), indent="   ")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
    console.line("Stopping.")
