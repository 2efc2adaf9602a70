"""Free text normalised to what people mean (pairing.topics)."""

from __future__ import annotations

import pytest

from pairing.topics import Vocabulary, clean, key

TOPICS = ("public speaking", "Kubernetes", "people management", "Python", "Java")


@pytest.mark.parametrize(
    "typed",
    ["public speaking", "Public-Speaking", "PUBLIC SPEAKING!", "presenting", "Presentations",
     "pubic speaking", "public speeking", "speaking in public"],
)  # fmt: skip
def test_ways_of_writing_public_speaking_mean_public_speaking(typed: str) -> None:
    assert Vocabulary.of(TOPICS).match(typed) == "public speaking"


@pytest.mark.parametrize("typed", ["k8s", "K8S", "kubernetes", "Kubernets", "kube"])
def test_k8s_means_kubernetes_through_the_default_synonyms(typed: str) -> None:
    assert Vocabulary.of(TOPICS).match(typed) == "kubernetes"
    assert Vocabulary.of().match(typed) == "kubernetes"  # even without a topic list


def test_word_order_and_forms_do_not_matter() -> None:
    vocabulary = Vocabulary.of(TOPICS)
    assert vocabulary.match("managing people") == "people management"
    assert vocabulary.match("management of people") == "people management"
    assert key("People Managers") == key("people manager")


def test_different_words_are_not_taken_for_typos() -> None:
    vocabulary = Vocabulary.of(TOPICS)
    assert vocabulary.match("javascript") == "javascript"  # a default synonym target
    assert vocabulary.match("Jira") is None  # short: exact only, and not Java
    assert vocabulary.match("gardening") is None
    assert vocabulary.canonical("Gardening!") == "gardening"


def test_a_program_extends_and_overrides_the_synonyms() -> None:
    vocabulary = Vocabulary.of(TOPICS, {"talks": "public speaking", "py": "Python"})
    assert vocabulary.match("talks") == "public speaking"
    assert vocabulary.match("py") == "python"


def test_known_free_terms_meet_their_typos() -> None:
    vocabulary = Vocabulary.of((), known=["Woodworking"])
    assert vocabulary.match("wood-working") == "woodworking"
    assert vocabulary.match("woodwroking") == "woodworking"


def test_terms_that_match_no_topic_are_counted_for_the_lead() -> None:
    vocabulary = Vocabulary.of(TOPICS)
    asked = ["negotiation", "Negotiating", "salary negotiation", "presenting", "Gardening"]
    assert vocabulary.unmatched(asked) == {"negotiation": 3, "gardening": 1}
    assert clean("  C++ / C#  ") == "c++ c#"


def test_a_topic_the_lead_listed_is_never_turned_into_a_synonyms_meaning() -> None:
    assert Vocabulary.of(()).match("writing") == "technical writing"  # the default map
    assert Vocabulary.of(("Writing",)).match("writing") == "writing"  # the lead's topic
    assert Vocabulary.of(("Writing",)).match("Writing!") == "writing"


def test_a_topic_the_lead_wrote_as_a_synonym_names_what_it_stands_for() -> None:
    vocabulary = Vocabulary.of(("k8s",))
    assert vocabulary.match("Kubernetes") == "k8s" and vocabulary.match("kube") == "k8s"
    assert vocabulary.is_topic("kubernetes")
