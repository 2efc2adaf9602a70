"""The page around every dashboard view: head, inline style, who is signed in; and the
error pages (403, 404, 400, 500), which show no data at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.builders.text import when
from bot.dashboard.html import Safe, join, tag

STYLE = """
:root{--ink:#1d1c1d;--soft:#616061;--line:#e1e1e1;--bg:#f8f8f8;--card:#fff;--accent:#4a154b;
--met:#2eb67d;--miss:#e01e5a;--wait:#b0b0b0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:.7rem 1.5rem;display:flex;
flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline}
header a{color:#fff}header .who{margin-left:auto;font-size:.85rem;opacity:.9}
main{max-width:72rem;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.5rem;margin:.4rem 0 .2rem}h2{font-size:1.15rem;margin:1.8rem 0 .6rem}
.sub{color:var(--soft);margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.7rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem}
.card b{display:block;font-size:1.45rem}.card span{color:var(--soft);font-size:.85rem}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);
vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;
background:#eee;color:var(--ink)}
.met{background:var(--met);color:#fff}.not_met{background:var(--miss);color:#fff}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.2rem 1rem .8rem}
.box ul{margin:.3rem 0;padding-left:1.2rem}
.round{margin-bottom:1rem}.round h3{font-size:1rem;margin:.2rem 0 .4rem}
.pager{display:flex;gap:1rem;margin:1rem 0}
.muted{color:var(--soft)}
figure{margin:0}figcaption{color:var(--soft);font-size:.85rem;margin:.2rem 0 1rem}
td.idx{width:3rem}
svg{width:100%;height:auto;background:var(--card);border:1px solid var(--line);
border-radius:8px}
svg .bar{fill:var(--accent)}svg .none{fill:none;stroke:var(--wait);stroke-dasharray:3 3}
svg text{font-size:11px;fill:var(--soft)}
svg .line{stroke-width:2}svg .dashed{stroke-dasharray:6 4}
.c0{color:#4a154b}.c1{color:#8a8a8a}.c2{color:#2eb67d}.c3{color:#e8912d}
svg.heat{max-width:40rem}svg .cell{stroke:none}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0 0 0 0);white-space:nowrap;border:0}
.note{color:var(--soft);font-size:.85rem;margin:.2rem 0 .8rem}
progress{width:100%;max-width:24rem;height:1rem}
@media (max-width:40rem){table{display:block;overflow-x:auto}main{padding:1rem .8rem 2rem}}
@media print{header,.noprint,progress{display:none}body{background:#fff;font-size:8.5px;
line-height:1.3}main{padding:0;max-width:none}h1{margin:0;font-size:15px}
h2{font-size:11px;margin:.5rem 0 .2rem;break-after:avoid}h3{font-size:9.5px;margin:.2rem 0}
.sub{margin:0 0 .3rem}.cards{grid-template-columns:repeat(7,1fr);gap:.3rem}
.card{padding:.25rem .4rem}.card b{font-size:12px}.note,.card span{font-size:7.5px}
.note{margin:.1rem 0 .2rem}.cols{grid-template-columns:1fr 1fr;gap:.4rem}
.cols.trend{grid-template-columns:repeat(4,1fr)}svg{max-height:3.3cm;border:none}
svg.heat{max-height:6cm}figcaption{font-size:7.5px;margin:0}th,td{padding:.1rem .3rem}
.box{padding:.1rem .4rem .3rem}.box ul{margin:0}.box li:nth-child(n+7){display:none}
figure,table,.box,.card{break-inside:avoid}a{color:inherit;text-decoration:none}
@page{size:A4;margin:.8cm}}
.error{max-width:36rem;margin:4rem auto;background:var(--card);border:1px solid var(--line);
border-radius:8px;padding:1.5rem 2rem}
"""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: a lead of ``workspace`` whose session ends at ``expires_at``."""

    name: str
    workspace: str
    expires_at: datetime


def page(title: str, body: Safe, *, viewer: Viewer | None = None) -> str:
    head = join(
        [
            Safe('<meta charset="utf-8">'),
            Safe('<meta name="viewport" content="width=device-width, initial-scale=1">'),
            Safe('<meta name="referrer" content="no-referrer">'),
            tag("title", f"{title} · mentorbot"),
            tag("style", Safe(STYLE)),
        ]
    )
    return "<!doctype html>\n" + tag(
        "html",
        tag("head", head),
        tag("body", _header(viewer), tag("main", body)),
        lang="en",
    )


def _header(viewer: Viewer | None) -> Safe:
    brand = tag("strong", "mentorbot")
    if viewer is None:
        return tag("header", brand)
    who = tag(
        "span",
        f"{viewer.name} · {viewer.workspace} · signed in until "
        f"{when(viewer.expires_at, 'UTC')} UTC · ",
        tag("a", "Sign out", href="/dashboard/logout"),
        class_="who",
    )
    return tag("header", brand, tag("a", "All programs", href="/dashboard"), who)


def error_page(title: str, message: str, *, hint: str | None = None) -> str:
    body = tag(
        "div",
        tag("h1", title),
        tag("p", message),
        tag("p", hint, class_="muted") if hint else None,
        class_="error",
    )
    return page(title, body)
