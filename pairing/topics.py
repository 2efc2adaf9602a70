"""What people mean: free-text skills and goals normalised to shared topics.

"Public-Speaking", "public speaking" and "presenting" are one need; "k8s" and
"Kubernetes" one skill. :class:`Vocabulary` maps each term to a canonical topic through:

1. case and punctuation (``Public-Speaking`` → ``public speaking``);
2. synonyms: a default map (``k8s`` → kubernetes, ``presenting`` → public speaking, …)
   that a program extends (``synonyms = { … }`` in the config);
3. stems (snowball, English) of the words, in any order and without filler words, so
   "managing people" is "people management" and "presentations" is "presenting";
4. typos: the closest known topic by edit distance (rapidfuzz, adjacent letters
   swapped count as one edit), if it is within ``typos`` edits (1 up to 11 letters,
   2 from 12) and starts with the same letter; terms under 5 letters must match
   exactly, as a typo there cannot be told from a different word ("java", "jira").

Known topics are the lead's list plus the terms offered (mentors' skills), so two free
texts meet as well. A term that matches nothing stays itself (cleaned): it still meets
the same term typed by someone else, and :meth:`Vocabulary.unmatched` lists it for the
lead. Pure: no I/O, no globals that change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

# The defaults every program starts from; a program's own synonyms add to or override them.
DEFAULT_SYNONYMS: Mapping[str, str] = {
    "k8s": "kubernetes",
    "kube": "kubernetes",
    "presenting": "public speaking",
    "presentation skills": "public speaking",
    "giving talks": "public speaking",
    "speaking in public": "public speaking",
    "conference talks": "public speaking",
    "managing people": "people management",
    "line management": "people management",
    "managing a team": "people management",
    "team management": "people management",
    "ml": "machine learning",
    "ai": "machine learning",
    "js": "javascript",
    "ts": "typescript",
    "py": "python",
    "pm": "product management",
    "ux": "user experience",
    "ui design": "user experience",
    "db": "databases",
    "sql": "databases",
    "aws": "cloud",
    "gcp": "cloud",
    "azure": "cloud",
    "devops": "ci/cd",
    "continuous delivery": "ci/cd",
    "career": "career growth",
    "career development": "career growth",
    "career advice": "career growth",
    "promotion": "career growth",
    "negotiating": "negotiation",
    "salary negotiation": "negotiation",
    "leading": "leadership",
    "leading a team": "leadership",
    "tech lead": "leadership",
    "leader": "leadership",
    "stats": "statistics",
    "mentorship": "mentoring",
    "interviewing": "hiring",
    "interviewing candidates": "hiring",
    "recruiting": "hiring",
    "type script": "typescript",
    "grow career": "career growth",
    "writing": "technical writing",
    "docs": "technical writing",
    "documentation": "technical writing",
}
FILLER = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "my",
        "how",
        "be",
        "better",
        "more",
        "some",
        "skill",
        "skills",
        "basics",
        "fundamentals",
        "advanced",
        "intro",
        "introduction",
        "programming",
        "language",
        "models",
        "getting",
    ]
)
LONG = 12  # letters from which a term may have two typos instead of one
MIN_FUZZY_LENGTH = 5  # shorter terms must match exactly: "java" is not "jira"
_PUNCTUATION = re.compile(r"[^\w+#]+")  # keep c++ and c#
_STEMMER = snowballstemmer.stemmer("english")


def clean(text: str) -> str:
    """Case and punctuation away: ``"Public-Speaking!"`` → ``"public speaking"``."""
    return " ".join(_PUNCTUATION.sub(" ", text.casefold().replace("_", " ")).split())


def words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning, sorted."""
    found = clean(text).split()
    return sorted([w for w in found if w not in FILLER] or found)


def key(text: str) -> str:
    """The stems of the words, sorted, without filler: what two spellings share."""
    return " ".join(sorted(_STEMMER.stemWords(words(text))))


@dataclass(frozen=True)
class Vocabulary:
    """Topics (as the lead wrote them) and synonyms; ``known`` are further terms that
    count as topics for matching (e.g. skills mentors offered in free text)."""

    topics: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    known: tuple[str, ...] = ()
    typos: int = 1  # edits allowed in a term shorter than LONG letters (LONG+: one more)

    @classmethod
    def of(
        cls,
        topics: Iterable[str] = (),
        synonyms: Mapping[str, str] | None = None,
        known: Iterable[str] = (),
        *,
        typos: int = 1,
    ) -> Vocabulary:
        merged = {clean(k): v for k, v in DEFAULT_SYNONYMS.items()}
        merged.update({clean(k): v for k, v in (synonyms or {}).items() if clean(k) and clean(v)})
        return cls(
            tuple(t for t in topics if clean(t)),
            merged,
            tuple(t for t in known if clean(t)),
            typos,
        )

    @cached_property
    def _synonyms(self) -> dict[str, str]:
        """Synonyms by cleaned text and by key (so plurals of a synonym work too)."""
        found: dict[str, str] = {}
        for word, meaning in self.synonyms.items():
            found.setdefault(word, meaning)
            found.setdefault(key(word), meaning)
        return found

    @cached_property
    def _names(self) -> dict[str, str]:
        """Key → the name shown: the lead's topics first (a topic the lead wrote as a
        synonym, "k8s", also names what it stands for, "kubernetes"), then synonym
        targets, then the known free terms (the first spelling seen)."""
        names: dict[str, str] = {}
        for topic in self.topics:  # the lead's words win, also over what they stand for
            names.setdefault(key(topic), clean(topic))
        for topic in self.topics:
            meaning = self.synonyms.get(clean(topic)) or self.synonyms.get(key(topic))
            if meaning is not None:
                names.setdefault(key(meaning), clean(topic))
        for term in (*self.synonyms.values(), *self.known):
            names.setdefault(key(term), clean(term))
        return names

    @cached_property
    def _spellings(self) -> dict[str, str]:
        """The words of each name (unstemmed, sorted) → its key: typos are looked for
        there too, since a typo can keep the stemmer from recognising a word."""
        return {" ".join(words(name)): k for k, name in self._names.items()}

    @cached_property
    def _topic_keys(self) -> frozenset[str]:
        return frozenset(key(t) for t in self.topics)

    def canonical(self, text: str) -> str:
        """The name of the topic ``text`` means, or ``text`` cleaned when none fits."""
        found = self.match(text)
        return found if found is not None else clean(text)

    def match(self, text: str) -> str | None:
        """The topic (or known term) ``text`` means, or None."""
        cleaned = clean(text)
        if not cleaned:
            return None
        if key(cleaned) in self._topic_keys:  # the lead's own topic: no synonym overrides it
            return self._names[key(cleaned)]
        meaning = self._synonyms.get(cleaned) or self._synonyms.get(key(cleaned))
        if meaning is not None:
            cleaned = clean(meaning)
        wanted = key(cleaned)
        if wanted in self._names:
            return self._names[wanted]
        if meaning is not None:
            return cleaned  # a synonym's meaning is a topic of its own
        spelled = " ".join(words(cleaned))
        letters = len(spelled.replace(" ", ""))
        if letters < MIN_FUZZY_LENGTH or self.typos <= 0:
            return None
        allowed = self.typos + (1 if letters >= LONG else 0)
        for term, known in ((wanted, self._names), (spelled, self._spellings)):
            candidates = [k for k in known if k[:1] == term[:1]]
            best = process.extractOne(term, candidates, scorer=OSA.distance, score_cutoff=allowed)
            if best is not None:
                found = known[best[0]] if known is self._spellings else best[0]
                return self._names[found]
        return None

    def is_topic(self, text: str) -> bool:
        """``text`` means one of the lead's topics."""
        found = self.match(text)
        return found is not None and key(found) in self._topic_keys

    def unmatched(self, terms: Iterable[str]) -> dict[str, int]:
        """Terms that mean none of the lead's topics, cleaned, with how often each was
        asked for (most asked first): "negotiation ×7 — add it as a topic?"."""
        counts: dict[str, int] = {}
        for term in terms:
            if clean(term) and not self.is_topic(term):
                name = self.canonical(term)
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
