"""Properties of `create`'s options, over random values (hypothesis).

- Random valid options (every option field, JSON dict form) reach the wire unchanged.
- Random invalid options (one bad value placed anywhere in otherwise valid options)
  never reach the wire and raise `ValidationError`, nothing else.
- Random junk of any JSON-ish shape (huge ints, NaN, lone surrogates, nesting) in any
  option either is refused with `ValidationError` before sending, or is sent: never a
  raw `TypeError`, `OverflowError`, `UnicodeEncodeError`...
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orq_router import (
    Cache,
    Contact,
    Fallbacks,
    Identity,
    LoadBalancer,
    Orq,
    OrqOptions,
    Retry,
    RouterTimeout,
    ValidationError,
    fallbacks,
    weighted,
)
from tests.facade.conftest import TEST_KEY
from tests.scripted_server import ScriptedServer

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    """Answers every request with one vector per input (whatever the options)."""
    with ScriptedServer() as running:
        yield running


@pytest.fixture(scope="module")
def client(server: ScriptedServer) -> Iterator[Orq]:
    with Orq(api_key=TEST_KEY, base_url=server.url, max_retries=0) as orq:
        yield orq


# --- valid options, in their JSON form ------------------------------------------------

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
model_ids = st.builds(
    "{}/{}".format,
    st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,15}", fullmatch=True),
)
emails = st.from_regex(r"[a-z0-9._%+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True)
weights = st.one_of(
    st.floats(min_value=1e-9, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=10**12),
)

retry = st.fixed_dictionaries(
    {},
    optional={
        "count": st.integers(0, 5),
        "on_codes": st.lists(st.integers(100, 599), max_size=4),
    },
)
cache = st.fixed_dictionaries(
    {"type": st.just("exact_match")}, optional={"ttl": st.integers(1, 259_200)}
)
timeout = st.fixed_dictionaries({"call_timeout": st.integers(1, 10**9)})
fallback_lists = st.lists(model_ids, min_size=1, max_size=3, unique=True).map(
    lambda models: [{"model": model} for model in models]
)
load_balancer = st.lists(
    st.tuples(model_ids, weights), min_size=1, max_size=3, unique_by=lambda pair: pair[0]
).map(
    lambda pairs: {
        "type": "weight_based",
        "models": [{"model": model, "weight": weight} for model, weight in pairs],
    }
)
person = st.fixed_dictionaries(
    {"id": text.filter(str.strip)},
    optional={
        "display_name": text,
        "email": emails,
        "metadata": st.lists(st.dictionaries(text, text, max_size=2), max_size=2),
        "logo_url": st.builds("https://{}.example/{}.png".format, st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.from_regex(r"[a-z0-9]{0,8}", fullmatch=True)),
        "tags": st.lists(text, max_size=3),
    },
)  # fmt: skip
ROUTING = {
    "fallbacks": fallback_lists,
    "retry": retry,
    "cache": cache,
    "load_balancer": load_balancer,
    "timeout": timeout,
}
orq = st.fixed_dictionaries(
    {}, optional={"name": text, "identity": person, "contact": person, **ROUTING}
)
options = st.fixed_dictionaries(
    {"model": model_ids},
    optional={
        "encoding_format": st.sampled_from(["float", "base64"]),
        "dimensions": st.integers(1, 10**9),
        "user": text,
        "name": text,
        "orq": orq,
        **ROUTING,
    },
)
inputs = st.one_of(
    text.filter(bool),
    st.lists(text.filter(bool), min_size=1, max_size=3),
    st.lists(st.lists(st.integers(0, 2**53), min_size=1, max_size=3), min_size=1, max_size=2),
)


@SETTINGS
@given(options=options, value=inputs)
def test_random_valid_options_reach_the_wire_unchanged(
    client: Orq, server: ScriptedServer, options: dict[str, Any], value: Any
) -> None:
    server.requests.clear()
    client.router.embeddings.create(input=value, **copy.deepcopy(options))
    (exchange,) = server.requests
    expected = {"input": value, "encoding_format": "base64", **options}
    assert exchange.json() == expected
    # Floats and key order as given: the wire's text is what json.dumps makes of it.
    assert json.loads(exchange.body) == json.loads(json.dumps(expected))


# --- one invalid value, anywhere --------------------------------------------------------

HUGE = st.integers(min_value=2**1100, max_value=2**1200) | st.integers(max_value=-(2**1100), min_value=-(2**1200))  # fmt: skip
SURROGATES = st.builds("{}\ud800{}".format, text, text)
NOT_STRINGS = st.one_of(st.integers(), st.floats(), st.booleans(), st.lists(st.integers(), max_size=2), HUGE)  # fmt: skip
NOT_INTEGERS = st.one_of(st.floats(), st.booleans(), text, HUGE, st.none())


def _place(first: str, *path: str | int, skeleton: Callable[[], Any] | None = None) -> Callable[[dict[str, Any], Any], dict[str, Any]]:  # fmt: skip
    """A mutation: `options` with `value` at `path`, parents made when missing (as
    `skeleton()`, valid, for the first one)."""

    def mutate(options: dict[str, Any], value: Any) -> dict[str, Any]:
        result = copy.deepcopy(options)
        if skeleton is not None and not isinstance(result.get(first), (dict, list)):
            result[first] = skeleton()
        if not path:
            result[first] = value
            return result
        target: Any = result.setdefault(first, {})
        for step in path[:-1]:
            target = target.setdefault(step, {}) if isinstance(target, dict) else target[step]
        target[path[-1]] = value
        return result

    return mutate


def _balancer() -> dict[str, Any]:
    return {"type": "weight_based", "models": [{"model": "a/b", "weight": 1}]}


def _orq_identity() -> dict[str, Any]:
    return {"identity": {"id": "c"}}


MUTATIONS: list[tuple[Callable[[dict[str, Any], Any], dict[str, Any]], st.SearchStrategy[Any]]] = [
    (_place("model"), st.one_of(NOT_STRINGS, st.just(""), text.filter(lambda s: "/" not in s), SURROGATES.map("a/{}".format))),
    (_place("dimensions"), st.one_of(st.integers(max_value=0), NOT_INTEGERS.filter(lambda v: v is not None), HUGE)),
    (_place("encoding_format"), st.one_of(text.filter(lambda s: s not in ("float", "base64")), NOT_STRINGS)),
    (_place("user"), st.one_of(NOT_STRINGS, SURROGATES)),
    (_place("name"), st.one_of(NOT_STRINGS, SURROGATES)),
    (_place("retry", "count", skeleton=dict), st.one_of(st.integers(6), st.integers(max_value=-1), NOT_INTEGERS)),
    (_place("retry", "on_codes", skeleton=dict), st.one_of(st.lists(st.integers(600) | st.integers(max_value=99), min_size=1), NOT_INTEGERS.filter(lambda v: v is not None), st.lists(NOT_INTEGERS, min_size=1))),
    (_place("retry", "attempts", skeleton=dict), st.integers()),
    (_place("cache", "ttl", skeleton=lambda: {"type": "exact_match"}), st.one_of(st.integers(max_value=0), st.integers(259_201), NOT_INTEGERS)),
    (_place("cache", "type", skeleton=dict), st.one_of(text.filter(lambda s: s != "exact_match"), NOT_STRINGS)),
    (_place("timeout", "call_timeout", skeleton=dict), st.one_of(st.integers(max_value=0), NOT_INTEGERS)),
    (_place("fallbacks"), st.one_of(st.just([]), text, st.integers(), st.lists(st.one_of(text.filter(lambda s: "/" not in s), st.integers(), st.none()), min_size=1))),
    (_place("fallbacks"), model_ids.map(lambda m: [{"model": m}, {"model": m}])),
    (_place("load_balancer", "models", 0, "weight", skeleton=_balancer), st.one_of(st.floats(max_value=0), st.just(float("nan")), st.just(float("inf")), text, st.booleans(), st.none(), HUGE)),
    (_place("load_balancer", "models", skeleton=_balancer), st.one_of(st.just([]), text, st.lists(st.integers(), min_size=1))),
    (_place("load_balancer", "type", skeleton=_balancer), text.filter(lambda s: s != "weight_based")),
    (_place("orq", "identity", "email", skeleton=_orq_identity), st.one_of(text.filter(lambda s: "@" not in s), NOT_STRINGS)),
    (_place("orq", "identity", "id", skeleton=_orq_identity), st.one_of(st.just(""), st.just("  "), NOT_STRINGS, SURROGATES)),
    (_place("orq", "identity", "logo_url", skeleton=_orq_identity), st.one_of(st.just("ftp://x/y.png"), st.just("/relative.png"), NOT_STRINGS)),
    (_place("orq", "identity", "metadata", skeleton=_orq_identity), st.one_of(st.lists(st.dictionaries(text, NOT_STRINGS, min_size=1), min_size=1), st.integers(), st.lists(st.integers(), min_size=1))),
    (_place("orq", "identity", "tags", skeleton=_orq_identity), st.one_of(st.lists(NOT_STRINGS, min_size=1), st.lists(SURROGATES, min_size=1))),
    (_place("orq", "retry", skeleton=dict), st.one_of(st.fixed_dictionaries({"count": st.integers(6) | HUGE}), text, st.integers())),
    (_place("orq", "name", skeleton=dict), st.one_of(NOT_STRINGS, SURROGATES)),
    (_place("orq", "traceid", skeleton=dict), text),
    (_place("dimension"), st.integers(1, 10)),
]  # fmt: skip


@SETTINGS
@given(options=options, data=st.data())
def test_random_invalid_options_never_reach_the_wire_and_raise_only_validation_error(
    client: Orq, server: ScriptedServer, options: dict[str, Any], data: st.DataObject
) -> None:
    mutate, bad_values = data.draw(st.sampled_from(MUTATIONS))
    bad = mutate(options, data.draw(bad_values))
    server.requests.clear()
    with pytest.raises(ValidationError):
        client.router.embeddings.create(input="hello", **bad)
    assert server.requests == []


# --- junk of any shape ----------------------------------------------------------------------

junk = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), HUGE, st.floats(), text, SURROGATES
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text | SURROGATES, children, max_size=3),
    max_leaves=8,
)  # fmt: skip
FIELDS = ["input", "model", "encoding_format", "dimensions", "user", "name", *ROUTING, "orq"]


@SETTINGS
@given(field=st.sampled_from(FIELDS), value=junk, options=options)
def test_junk_in_any_option_is_refused_or_sent_never_a_raw_exception(
    client: Orq, server: ScriptedServer, field: str, value: Any, options: dict[str, Any]
) -> None:
    server.requests.clear()
    call = {"input": "hello", **options, field: value}
    try:
        client.router.embeddings.create(**call)
    except ValidationError:
        assert server.requests == []
    except Exception as error:  # the answer may not fit an input that was accepted
        assert server.requests, f"{type(error).__name__} before sending: {error}"
    else:
        assert len(server.requests) == 1


# --- the helpers, built with junk ---------------------------------------------------------

HELPER_CALLS: list[Callable[[Any], dict[str, Any]]] = [
    lambda v: {"retry": Retry(count=v)},
    lambda v: {"retry": Retry(count=1, on_codes=v)},
    lambda v: {"cache": Cache(ttl=v)},
    lambda v: {"timeout": RouterTimeout(v)},
    lambda v: {"timeout": RouterTimeout.seconds(v)},
    lambda v: {"fallbacks": fallbacks(v)},
    lambda v: {"fallbacks": Fallbacks(v)},
    lambda v: {"load_balancer": weighted({"a/b": v})},
    lambda v: {"load_balancer": weighted([("a/b", 1), (v, 2)])},
    lambda v: {"load_balancer": LoadBalancer(v)},
    lambda v: {"orq": OrqOptions(name=v)},
    lambda v: {"orq": OrqOptions(retry=v)},
    lambda v: {"orq": OrqOptions(identity=Identity(id=v))},
    lambda v: {"orq": OrqOptions(identity=Identity(id="c", email=v))},
    lambda v: {"orq": OrqOptions(identity=Identity(id="c", metadata=v))},
    lambda v: {"orq": OrqOptions(contact=Contact(id="c", logo_url=v))},
    lambda v: {"orq": OrqOptions(contact=Contact(id="c", tags=v))},
    lambda v: {"orq": OrqOptions(contact=Contact(id="c", display_name=v))},
]


@SETTINGS
@given(build=st.sampled_from(HELPER_CALLS), value=junk)
def test_helpers_built_with_junk_raise_only_validation_error(
    client: Orq, server: ScriptedServer, build: Callable[[Any], dict[str, Any]], value: Any
) -> None:
    server.requests.clear()
    try:
        client.router.embeddings.create(input="hello", model="a/b", **build(value))
    except ValidationError:
        assert server.requests == []
    else:
        assert len(server.requests) == 1
