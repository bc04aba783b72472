"""The real model: the router's vectors are sentence-transformers' own for the same texts,
whatever pass they share; long inputs cut or refused; work nobody waits for dropped."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import socket
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from orq_router import BadRequestError, Cache, Orq
from orq_router_server import MINILM_MODEL, LocalRouter, LocalServer, create_app, parse_config
from orq_router_server.backends.minilm import MiniLMBackend
from orq_router_server.request import EmbeddingCall, parse_body
from orq_router_server.requestlog import LOGGER_NAME
from orq_router_server.router import Answer
from orq_router_server.routing import RouteFailed
from tests.server.conftest import needs_minilm

pytestmark = needs_minilm

TEXTS = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new movie is awesome.",
    "Pythons are snakes; Python is also a programming language.",
]


@pytest.fixture(scope="module")
def model() -> Any:
    """The same weights, loaded by sentence-transformers itself (once per process)."""
    from orq_router_server.backends.minilm import load_model

    return load_model()


def test_the_vectors_equal_sentence_transformers_own(client: Orq, model: Any) -> None:
    answer = client.router.embeddings.create(input=TEXTS, model=MINILM_MODEL)
    theirs = model.encode(TEXTS, batch_size=32, convert_to_numpy=True)
    ours = answer.to_numpy()
    assert ours.shape == (4, 384)
    assert answer.model == MINILM_MODEL
    # The same weights, float32 all the way (base64 on the wire); the router runs these
    # four in groups of similar length, which moves at most the last bits.
    assert np.abs(ours - theirs).max() <= 1e-5
    assert (ours * theirs).sum(axis=1).min() >= 0.99999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)


def test_one_text_at_a_time_gives_the_same_vectors(client: Orq, model: Any) -> None:
    for text in TEXTS[:2]:
        ours = client.router.embeddings.create(input=text, model=MINILM_MODEL).to_numpy()[0]
        assert np.allclose(ours, model.encode([text])[0], atol=1e-6)


def test_it_is_semantic(client: Orq) -> None:
    vectors = client.router.embeddings.create(
        input=["How do I bake bread?", "A recipe for a sourdough loaf", "Quarterly tax filing"],
        model=MINILM_MODEL,
    ).to_numpy()
    related, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert related > unrelated + 0.2


def test_usage_counts_word_pieces_with_cls_and_sep(client: Orq, model: Any) -> None:
    answer = client.router.embeddings.create(input=["hello world", "Hi"], model=MINILM_MODEL)
    expected = sum(len(model.tokenizer(t)["input_ids"]) for t in ["hello world", "Hi"])
    assert answer.usage.prompt_tokens == expected == 4 + 3


def test_token_ids_are_the_models_word_pieces(client: Orq, model: Any) -> None:
    ids = model.tokenizer("A man is eating food.", add_special_tokens=False)["input_ids"]
    answer = client.router.embeddings.create(
        input=[ids, "The new movie is awesome."], model=MINILM_MODEL
    )
    vectors = answer.to_numpy()
    assert np.allclose(vectors[0], model.encode([TEXTS[0]])[0], atol=1e-5)
    assert np.allclose(vectors[1], model.encode([TEXTS[2]])[0], atol=1e-5)
    with pytest.raises(BadRequestError) as caught:
        client.router.embeddings.create(input=[[101, 30522]], model=MINILM_MODEL)
    assert caught.value.code == "invalid_token_id"
    assert caught.value.error is not None and caught.value.error.param == "input[0][1]"


def test_dimensions_cut_the_real_model_too(client: Orq) -> None:
    full = client.router.embeddings.create(input="bread", model=MINILM_MODEL).to_numpy()[0]
    cut = client.router.embeddings.create(input="bread", model=MINILM_MODEL, dimensions=128)
    assert np.allclose(cut.to_numpy()[0], full[:128] / np.linalg.norm(full[:128]), atol=1e-6)
    with pytest.raises(BadRequestError):
        client.router.embeddings.create(input="bread", model=MINILM_MODEL, dimensions=385)


# Dynamic batching, truncation and cancellation, with the real model.

MIXED = [
    "A man is eating food.",
    "Pythons are snakes; Python is also a programming language.",
    "ok",
    " ".join(["The quick brown fox jumps over the lazy dog."] * 20),  # ~200 word pieces
    "Quarterly tax filing",
    "How do I catch exceptions and clean up afterwards?",
]
LONG = "antidisestablishmentarianism " * 60  # about 360 word pieces: over the 256 limit


def _minilm_router(**spec: object) -> LocalRouter:
    table = {"backend": "minilm", **spec}
    return LocalRouter(parse_config({"models": {MINILM_MODEL: table}}))


def _call(inputs: list[Any], **fields: object) -> EmbeddingCall:
    body = {"input": inputs, "model": MINILM_MODEL, "encoding_format": "base64", **fields}
    return parse_body(json.dumps(body).encode(), max_inputs=4096)


def _vectors(answer: Answer) -> npt.NDArray[np.float32]:
    rows = [base64.b64decode(row["embedding"]) for row in json.loads(answer.body)["data"]]
    return np.stack([np.frombuffer(row, dtype="<f4") for row in rows])


def _batches(router: LocalRouter) -> tuple[float, float]:
    """(passes, inputs) the model has run so far."""
    labels = {"model": MINILM_MODEL}
    registry = router.metrics.registry
    count = registry.get_sample_value("orq_router_batch_inputs_count", labels) or 0.0
    total = registry.get_sample_value("orq_router_batch_inputs_sum", labels) or 0.0
    return count, total


def test_requests_merged_into_one_pass_get_sentence_transformers_vectors(model: Any) -> None:
    """Six requests in one pass, padded to its longest text: each row is still encode's own
    (the figures measured here are the README's)."""
    router = _minilm_router(max_batch_inputs=len(MIXED) + 1, batch_wait_ms=5000)
    ids = model.tokenizer(MIXED[0], add_special_tokens=False)["input_ids"]
    requests = [[text] for text in MIXED] + [[ids]]  # token ids join the same pass

    async def all_at_once() -> list[Answer]:
        return list(await asyncio.gather(*(router.answer(_call(r), None) for r in requests)))

    answers = asyncio.run(all_at_once())
    assert _batches(router) == (1, len(requests))  # one pass for everyone
    ours = np.concatenate([_vectors(answer) for answer in answers])
    alone = np.stack([model.encode([text], show_progress_bar=False)[0] for text in MIXED])
    theirs = np.concatenate([alone, alone[:1]])
    _assert_equal_rows(ours, theirs, "merged pass")
    # The worst a pass can do: every row padded to the longest in one network call.
    backend = router.backends[MINILM_MODEL]
    assert isinstance(backend, MiniLMBackend)
    rows = [model.tokenizer(text)["input_ids"] for text in MIXED]
    assert max(map(len, rows)) > 150 > 5 > min(map(len, rows))
    _assert_equal_rows(backend._forward(rows), alone, "all padded to the longest")
    for answer, inputs in zip(answers, requests, strict=True):
        usage = json.loads(answer.body)["usage"]["prompt_tokens"]
        item = inputs[0]
        expected = (
            len(model.tokenizer(item)["input_ids"]) if isinstance(item, str) else len(item) + 2
        )
        assert usage == expected  # each request its own usage


def _assert_equal_rows(
    ours: npt.NDArray[np.float32], theirs: npt.NDArray[np.float32], how: str
) -> None:
    """Each row as encode gives it alone: cosine >= 0.99999, max abs difference <= 1e-5."""
    cosine = (
        (ours * theirs).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    )
    difference = np.abs(ours - theirs).max(axis=1)
    print(
        f"\n{how} vs encode alone: min cosine {cosine.min():.9f}, max abs difference {difference.max():.3g}"
    )
    assert cosine.min() >= 0.99999
    assert difference.max() <= 1e-5


def test_a_pass_runs_in_groups_of_similar_length() -> None:
    from orq_router_server.backends.minilm import padding_groups

    def cost(groups: list[list[int]]) -> int:
        return sum(32 + len(g) * max(lengths[i] for i in g) for g in groups)

    lengths = [12, 200, 11, 14, 3, 13, 12]
    groups = padding_groups(lengths, call_cost=32)
    assert sorted(i for group in groups for i in group) == list(range(len(lengths)))
    # The long one alone, not 7 x 200 word pieces for 265; the short ones together.
    assert groups == [[1], [3, 5, 0, 6, 2, 4]]
    assert cost(groups) < min(cost([list(range(7))]), cost([[i] for i in range(7)]))
    even = padding_groups([30] * 100, call_cost=32, max_group=64, max_group_tokens=10_000)
    assert [len(group) for group in even] in ([64, 36], [36, 64])  # two calls, none over 64
    capped = padding_groups([256] * 8 + [300], max_group_tokens=1024)
    assert [len(group) for group in capped] == [1, 4, 4]  # a cancelled pass stops at a call
    assert padding_groups([]) == []


def test_a_pass_skips_the_calls_nobody_waits_for(model: Any) -> None:
    backend = MiniLMBackend(model)
    rows = [model.tokenizer(text)["input_ids"] for text in MIXED]
    everything = backend._pass(rows, lambda k: True)
    without_long = backend._pass(rows, lambda k: k != 3)  # MIXED[3] is alone in its call
    assert not without_long[3].any()
    keep = [k for k in range(len(MIXED)) if k != 3]
    assert np.abs(without_long[keep] - everything[keep]).max() <= 1e-6


def test_a_long_request_is_split_into_passes_and_equals_encode(model: Any) -> None:
    router = _minilm_router(max_batch_inputs=4, max_batch_tokens=512)
    texts = MIXED * 3
    answer = asyncio.run(router.answer(_call(texts), None))
    passes, inputs = _batches(router)
    assert inputs == len(texts) and passes >= len(texts) / 4
    theirs = model.encode(texts, batch_size=4, show_progress_bar=False)
    assert np.abs(_vectors(answer) - theirs).max() <= 1e-5


def test_an_input_over_the_limit_is_cut_and_the_answer_says_so(client: Orq, model: Any) -> None:
    raw = client.router.embeddings.with_raw_response.create(
        input=["short", LONG, LONG + " more"], model=MINILM_MODEL
    )
    assert raw.headers["x-orq-truncated"] == "2"
    vectors = raw.parse().to_numpy()
    theirs = model.encode(["short", LONG, LONG + " more"], show_progress_bar=False)
    assert np.abs(vectors - theirs).max() <= 1e-5  # sentence-transformers cuts there too
    assert raw.parse().usage.prompt_tokens == 3 + 256 + 256
    plain = client.router.embeddings.with_raw_response.create(input="short", model=MINILM_MODEL)
    assert "x-orq-truncated" not in plain.headers
    # Kept per input, a cut input says so again when it comes from the cache.
    for expected in ("miss", "hit"):
        cached = client.router.embeddings.with_raw_response.create(
            input=[LONG, "short"], model=MINILM_MODEL, cache=Cache(ttl=60)
        )
        assert cached.headers["x-orq-cache"] == expected
        assert cached.headers["x-orq-truncated"] == "1"


def test_with_truncate_false_a_long_input_is_400_naming_it_and_its_length(model: Any) -> None:
    length = len(model.tokenizer(LONG)["input_ids"])
    assert length > 256
    router = _minilm_router(truncate=False)
    with LocalServer(create_app(router)) as server, Orq(base_url=server.url, max_retries=0) as orq:
        with pytest.raises(BadRequestError) as caught:
            orq.router.embeddings.create(input=["fine", LONG], model=MINILM_MODEL)
        assert caught.value.code == "input_too_long"
        assert caught.value.error is not None and caught.value.error.param == "input[1]"
        assert f"input[1]: {length} tokens" in str(caught.value)
        assert "at most 256" in str(caught.value)
        # Within the limit it answers as ever; found in the cache, an input keeps its index.
        cached = Cache(ttl=60)
        orq.router.embeddings.create(input=["fine"], model=MINILM_MODEL, cache=cached)
        with pytest.raises(BadRequestError) as again:
            orq.router.embeddings.create(input=["fine", LONG], model=MINILM_MODEL, cache=cached)
        assert again.value.error is not None and again.value.error.param == "input[1]"
    assert _batches(router)[1] == 1  # the refused requests never reached the model


def test_a_timed_out_request_leaves_the_queue_and_the_next_is_served() -> None:
    router = _minilm_router(max_batch_inputs=8)
    backend = router.backends[MINILM_MODEL]
    assert isinstance(backend, MiniLMBackend)
    texts = [f"sentence number {i} of a request nobody waits for" for i in range(512)]

    async def scenario() -> Answer:
        with pytest.raises(RouteFailed) as caught:
            await router.answer(_call(texts, timeout={"call_timeout": 100}), None)
        assert caught.value.error.status == 504
        assert backend.batcher.queued == 0  # dropped as the timeout fired
        return await router.answer(_call(["and a small one"]), None)

    small = asyncio.run(scenario())
    assert _vectors(small).shape == (1, 384)
    passes, inputs = _batches(router)
    # What ran: the passes before the timeout, the one running at it, then the small one.
    assert inputs == 8 * (passes - 1) + 1
    assert inputs <= len(texts) / 2


def test_a_client_that_leaves_stops_its_work(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="orq_router_server.requests")
    router = _minilm_router(max_batch_inputs=8)
    backend = router.backends[MINILM_MODEL]
    assert isinstance(backend, MiniLMBackend)
    texts = [f"sentence number {i} for a client that will not wait" for i in range(512)]
    body = json.dumps({"input": texts, "model": MINILM_MODEL}).encode()
    with LocalServer(create_app(router)) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as conn:
            head = f"POST /v2/router/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            conn.sendall(head.encode() + body)
            _until(lambda: _batches(router)[0] >= 1)  # its first pass is running
        _until(lambda: backend.batcher.queued == 0)
        _until(lambda: any(line["status"] == 499 for line in _request_lines(caplog)))
    line = next(line for line in _request_lines(caplog) if line["status"] == 499)
    assert line["error"] == "client_disconnected"
    assert _batches(router)[1] <= len(texts) / 2


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The request log's lines so far, read as the JSON they are."""
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER_NAME]


def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true"
        time.sleep(0.01)
