"""`python -m orq_router_server.demo` (`nox -s demo`): semantic search, offline, end to end.

1. Starts the local router on a free loopback port, with the real model
   (`local/all-minilm-l6-v2`, the `minilm` extra).
2. Embeds a real corpus that ships with Python, the help topics of `pydoc_data.topics`
   (`help("try")` and its siblings), through the SDK: `Orq(...).router.embeddings.embed_many`.
3. Embeds a few questions in plain English and ranks the topics by cosine similarity.
4. Prints a table; exits 0 when every question found the topic it should (within the top
   three), 1 otherwise.

`--model local/hashing-384` runs the same pipeline on the hashing model: lexical, not
semantic, so only questions that share words with a topic find it (the tests use that).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from orq_router import Orq
from orq_router_server.app import create_app
from orq_router_server.config import MINILM_MODEL, default_config
from orq_router_server.errors import ConfigError
from orq_router_server.router import LocalRouter
from orq_router_server.running import LocalServer

__all__ = ["QUESTIONS", "Hit", "TopicIndex", "help_topics", "main", "run"]

QUESTIONS: Final = (
    ("How do I catch exceptions and clean up afterwards?", "try"),
    ("What does the with statement do?", "with"),
    ("How do I format a string with placeholders?", "formatstrings"),
    ("Write a generator that yields values", "yield"),
    ("Make an anonymous function", "lambda"),
    ("How do I define a class?", "class"),
)
"""Questions in plain English, and the help topic each should find."""
TOP: Final = 3


def help_topics() -> dict[str, str]:
    """Python's own help texts, by topic (`help("try")` shows the one named `try`)."""
    from pydoc_data.topics import topics

    return dict(sorted(topics.items()))


@attrs.frozen
class Hit:
    """A topic and how close it is to a question (cosine similarity, -1..1)."""

    topic: str
    score: float


@attrs.frozen
class TopicIndex:
    """Topics and their unit vectors, one row each."""

    names: tuple[str, ...]
    vectors: npt.NDArray[np.float32]

    @classmethod
    def build(cls, client: Orq, model: str, topics: dict[str, str]) -> TopicIndex:
        """Embed every topic's text through the router (batches of 16)."""
        bulk = client.router.embeddings.embed_many(
            list(topics.values()), model=model, batch_size=16, max_concurrency=2
        )
        return cls(names=tuple(topics), vectors=_unit(bulk.to_numpy()))

    def search(self, queries: npt.NDArray[np.float32], top: int = TOP) -> list[list[Hit]]:
        """The `top` nearest topics of each query vector, nearest first."""
        scores = _unit(queries) @ self.vectors.T
        ranked = np.argsort(-scores, axis=1, kind="stable")[:, :top]
        return [
            [Hit(self.names[i], float(row_scores[i])) for i in row]
            for row, row_scores in zip(ranked, scores, strict=True)
        ]

    def ask(
        self, client: Orq, model: str, questions: Sequence[str], top: int = TOP
    ) -> list[list[Hit]]:
        """Embed the questions through the router and search."""
        answer = client.router.embeddings.create(input=list(questions), model=model)
        return self.search(answer.to_numpy(), top)


def _unit(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    scaled: npt.NDArray[np.float32] = (matrix / norms).astype(np.float32)
    return scaled


def run(
    *,
    model: str = MINILM_MODEL,
    questions: Sequence[tuple[str, str]] = QUESTIONS,
    say: Callable[[str], None] = print,
) -> int:
    """The whole demo; `say` prints. Returns the exit code."""
    say("orq-router demo: semantic search over Python's help topics, offline\n")
    started = time.perf_counter()
    try:
        router = LocalRouter(default_config())
    except ConfigError as error:
        say(f"orq-router demo: {error}")
        return 2
    if model not in router.models:
        say(
            f"orq-router demo: {model} is not available (served: {', '.join(router.models)});"
            " the real model needs the minilm extra: python3 dev.py -s demo"
        )
        return 2
    with LocalServer(create_app(router)) as server:
        say(
            f"1. local router on {server.url}: {', '.join(router.models)}"
            f" (ready in {time.perf_counter() - started:.1f} s)"
        )
        with Orq(base_url=server.url) as client:
            topics = help_topics()
            started = time.perf_counter()
            index = TopicIndex.build(client, model, topics)
            spent = time.perf_counter() - started
            say(
                f"2. embedded {len(topics)} help topics (pydoc_data.topics) with {model}"
                f" through orq_router.Orq: {index.vectors.shape[0]} x {index.vectors.shape[1]}"
                f" in {spent:.1f} s ({len(topics) / spent:.0f} topics/s)"
            )
            started = time.perf_counter()
            results = index.ask(client, model, [question for question, _ in questions])
            say(
                f"3. asked {len(questions)} questions"
                f" ({(time.perf_counter() - started) * 1000:.0f} ms), nearest topics:\n"
            )
    say(table(questions, results))
    missed = [
        question
        for (question, expected), hits in zip(questions, results, strict=True)
        if expected not in [hit.topic for hit in hits]
    ]
    if missed:
        say(f"\n{len(missed)} question(s) did not find their topic: {'; '.join(missed)}")
        return 1
    say(f"\nEvery question found its topic. Try one yourself: help({questions[0][1]!r})")
    return 0


def table(questions: Sequence[tuple[str, str]], results: Sequence[Sequence[Hit]]) -> str:
    """A plain-text table: question, expected topic and its rank, the nearest topics."""
    rows = [("question", "expects", "rank", "nearest topics (cosine)")]
    for (question, expected), hits in zip(questions, results, strict=True):
        names = [hit.topic for hit in hits]
        rank = str(names.index(expected) + 1) if expected in names else "-"
        nearest = ", ".join(f"{hit.topic} {hit.score:.2f}" for hit in hits)
        rows.append((question, expected, rank, nearest))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in [*widths, len(row[3])]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orq_router_server.demo", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--model", default=MINILM_MODEL, help=f"model to search with ({MINILM_MODEL})"
    )
    args = parser.parse_args(argv)
    return run(model=args.model)


if __name__ == "__main__":
    sys.exit(main())
