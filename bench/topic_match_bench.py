"""Does free text meet the topic it means? Synthetic variants through ``pairing.topics``.

    python bench/topic_match_bench.py [--seed 7] [--typos 3]

A lead's topic list (30 topics); for each topic the ways people type it: case and
punctuation (``Public-Speaking``), other word forms and order (``managing people``),
the default synonyms (``k8s``, ``presenting``), and ``--typos`` random one-letter typos
per topic (a letter dropped, doubled, swapped with the next or replaced by a neighbour
on the keyboard). Each is an *intended match*: found when it maps to its topic. Against
them, distractors — terms people ask for that are no topic of the list (negotiation,
gardening, Jira, …) and their typos: any of them that maps to a topic is a *false
match*, as is a variant that maps to another topic. Prints one JSON line:
``found`` = intended matches found / intended (``found_typos``: of the random typos
alone, which no synonym lists), ``false`` = false matches / all terms.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pairing.topics import DEFAULT_SYNONYMS, Vocabulary, clean

TOPICS: dict[str, tuple[str, ...]] = {
    # topic: other ways of writing it (forms, order, synonyms beyond the default map)
    "public speaking": ("speaking in public", "public speaker", "presenting", "presentations"),
    "Kubernetes": ("k8s", "kube"),
    "people management": ("managing people", "people manager", "management of people"),
    "Python": ("python programming", "py"),
    "machine learning": ("ML", "machine-learning models"),
    "product management": ("product manager", "managing products"),
    "leadership": ("leading", "leader"),
    "negotiation": ("negotiating", "salary negotiation", "negotiations"),
    "career growth": ("career", "career development", "growing my career"),
    "technical writing": ("writing", "docs", "documentation"),
    "user experience": ("UX", "ui design"),
    "databases": ("database", "SQL"),
    "system design": ("designing systems", "system designs"),
    "data visualisation": ("visualising data", "data visualisations"),
    "security": ("securing", "secure"),
    "testing": ("tests", "tested"),
    "accessibility": ("accessible",),
    "javascript": ("JS", "Java-Script"),
    "typescript": ("TS", "type script"),
    "cloud": ("AWS", "GCP", "azure"),
    "ci/cd": ("devops", "continuous delivery", "CI CD"),
    "mentoring": ("mentorship", "mentor"),
    "hiring": ("interviewing candidates", "hire"),
    "time management": ("managing time", "managing my time"),
    "statistics": ("statistic", "stats"),
    "rust": ("rust programming",),
    "go": ("go programming",),
    "finance": ("financial", "finances"),
    "marketing": ("market", "marketer"),
    "design thinking": ("thinking design",),
}
DISTRACTORS = (
    "gardening", "Jira", "painting", "woodworking", "chess", "photography", "cooking",
    "knitting", "poetry", "tax law", "real estate", "piano", "swimming", "yoga",
    "carpentry", "astronomy", "gaming", "sailing", "calligraphy", "beekeeping",
    "pottery", "surfing", "skiing", "baking", "origami", "juggling", "ceramics",
    "cycling", "running", "opera", "ruby", "scala", "java", "kotlin", "swift", "php",
    "sales", "legal", "biology", "chemistry",
)  # fmt: skip
NEIGHBOURS = {
    a: b
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for a, b in zip(row, row[1:] + row[-2], strict=True)
}


def typo(text: str, rng: random.Random) -> str:
    """One typo in a word of five letters or more (not its first letter)."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    how = rng.choice(("drop", "double", "swap", "neighbour"))
    if how == "drop":
        word = word[:at] + word[at + 1 :]
    elif how == "double":
        word = word[:at] + word[at] + word[at:]
    elif how == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        c = word[at].lower()
        word = word[:at] + NEIGHBOURS.get(c, c) + word[at + 1 :]
    words[i] = word
    return " ".join(words)


def variants(topic: str, forms: tuple[str, ...]) -> set[str]:
    found = {topic, topic.upper(), topic.title(), topic.replace(" ", "-"), f" {topic}! "}
    found |= set(forms)
    found |= {w for w, meaning in DEFAULT_SYNONYMS.items() if clean(meaning) == clean(topic)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--typos", type=int, default=3, help="random typos per topic")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocabulary = Vocabulary.of(TOPICS)
    started = time.perf_counter()
    intended = found = false = typos = typos_found = 0
    missed: list[str] = []
    wrong: list[str] = []
    for topic, forms in TOPICS.items():
        written = variants(topic, forms)
        typed = {typo(topic, rng) for _ in range(args.typos)} - written
        for text in sorted(written | typed):
            intended += 1
            typos += text in typed
            got = vocabulary.match(text)
            if got == clean(topic):
                found += 1
                typos_found += text in typed
            elif got is None:
                missed.append(text)
            else:
                false += 1
                wrong.append(f"{text} → {got}")
    distractors = set(DISTRACTORS) | {typo(d, rng) for d in DISTRACTORS}
    for text in sorted(distractors):
        if vocabulary.is_topic(text):
            false += 1
            wrong.append(f"{text} → {vocabulary.match(text)}")
    terms = intended + len(distractors)
    print(
        json.dumps(
            {
                "bench": "topic_match",
                "seed": args.seed,
                "topics": len(TOPICS),
                "intended": intended,
                "distractors": len(distractors),
                "found": round(found / intended, 4),
                "typos": typos,
                "found_typos": round(typos_found / max(1, typos), 4),
                "false": round(false / terms, 4),
                "missed": missed,
                "false_matches": wrong,
                "seconds": round(time.perf_counter() - started, 3),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
