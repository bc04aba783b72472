"""`nox -s demo`: its search, on the hashing model everywhere and on the real model here."""

from __future__ import annotations

import re

import numpy as np
import pytest

from orq_router import Orq
from orq_router_server import HASHING_MODEL, LocalRouter, LocalServer, create_app, default_config
from orq_router_server.demo import QUESTIONS, Hit, TopicIndex, help_topics, run, table
from tests.server.conftest import needs_minilm

KEYWORDS = "try except finally else exception handlers cleanup code"


def test_the_corpus_is_pythons_help_topics() -> None:
    topics = help_topics()
    assert {"try", "with", "lambda", "class"} <= set(topics)
    assert 'The "try" statement' in topics["try"]


def test_search_ranks_by_cosine_nearest_first() -> None:
    index = TopicIndex(
        names=("a", "b", "c"),
        vectors=np.array([[1, 0], [0.6, 0.8], [0, 1]], dtype=np.float32),
    )
    (hits,) = index.search(np.array([[0, 2]], dtype=np.float32), top=2)
    assert [hit.topic for hit in hits] == ["c", "b"]
    assert hits[0].score == pytest.approx(1.0) and hits[1].score == pytest.approx(0.8)


def test_the_whole_pipeline_on_the_hashing_model_finds_a_quoted_topic() -> None:
    with (
        LocalServer(create_app(LocalRouter(default_config()))) as server,
        Orq(base_url=server.url) as client,
    ):
        index = TopicIndex.build(client, HASHING_MODEL, help_topics())
        # Lexical, not semantic: the topic's own words find it; a paraphrase would not.
        (hits,) = index.ask(client, HASHING_MODEL, [KEYWORDS])
    assert index.vectors.shape == (len(help_topics()), 384)
    assert hits[0].topic == "try"


def test_run_exits_1_when_a_question_misses_its_topic() -> None:
    lines: list[str] = []
    questions = [(KEYWORDS, "try"), ("zzzz qqqq", "lambda")]
    assert run(model=HASHING_MODEL, questions=questions, say=lines.append) == 1
    assert "1 question(s) did not find their topic: zzzz qqqq" in lines[-1]


def test_an_unknown_model_is_one_line_and_exit_2() -> None:
    lines: list[str] = []
    assert run(model="x/none", say=lines.append) == 2
    assert "x/none is not available" in lines[-1]


def test_the_table_shows_the_rank_of_the_expected_topic() -> None:
    text = table([("q?", "b")], [[Hit("a", 0.9), Hit("b", 0.5)]])
    assert text.splitlines()[2].split() == ["q?", "b", "2", "a", "0.90,", "b", "0.50"]


@needs_minilm
def test_the_real_demo_finds_every_topic_and_try_first() -> None:
    lines: list[str] = []
    assert run(say=lines.append) == 0
    output = "\n".join(lines)
    catching = next(line for line in output.splitlines() if line.startswith(QUESTIONS[0][0]))
    # question, expected topic, its rank, then the nearest topics: `try` first.
    assert re.search(r"\?\s+try\s+1\s+try \d\.\d\d,", catching), catching
    assert "Every question found its topic" in output
