"""The TOML contract of `orq-router serve --config`: what it accepts, and one line for the rest."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from orq_router_server import (
    HASHING_MODEL,
    MINILM_MODEL,
    ConfigError,
    FaultSpec,
    HashingSpec,
    LocalRouter,
    MiniLMSpec,
    OpenAISpec,
    default_config,
    load_config,
    minilm_available,
    parse_config,
)
from orq_router_server import config as config_module
from orq_router_server.config import (
    DEFAULT_MAX_QUEUE_INPUTS,
    Cooldown,
    Limit,
    check_environment,
)

ISSUE_EXAMPLE = """
api_keys = ["key-a", "key-b"]     # optional: when present, every request needs one (401)
max_inputs = 2048                 # optional limits, with these defaults
max_body_bytes = 8_000_000

[models."local/all-minilm-l6-v2"]
backend = "minilm"

[models."test/hash-32"]
backend = "hashing"
dimensions = 32

[models."test/flaky"]
backend = "fault"
fail_with = [503, 503]   # the first attempts of EACH request at this model get these statuses
then = "test/hash-32"    # after them this model answers; without it every attempt fails
delay_ms = 0             # every attempt waits this long first (to exercise call_timeout)

[models."up/small"]
backend = "openai"       # any OpenAI-compatible /v1/embeddings upstream
base_url = "http://127.0.0.1:9000/v1"
model = "text-embedding-3-small"
api_key_env = "UPSTREAM_API_KEY"
"""


def test_the_issues_example_is_the_contract(tmp_path: Path) -> None:
    path = tmp_path / "router.toml"
    path.write_text(ISSUE_EXAMPLE)
    config = load_config(path)
    assert config.api_keys == ("key-a", "key-b")
    assert (config.max_inputs, config.max_body_bytes, config.seed) == (2048, 8_000_000, None)
    assert config.models == {
        "local/all-minilm-l6-v2": MiniLMSpec(),
        "test/hash-32": HashingSpec(dimensions=32),
        "test/flaky": FaultSpec(fail_with=(503, 503), then="test/hash-32", delay_ms=0),
        "up/small": OpenAISpec(
            base_url="http://127.0.0.1:9000/v1",
            model="text-embedding-3-small",
            api_key_env="UPSTREAM_API_KEY",
        ),
    }


def test_a_local_models_batching_and_truncation_are_its_own_keys() -> None:
    text = """
[models."local/all-minilm-l6-v2"]
backend = "minilm"
max_batch_inputs = 16          # inputs in one pass of the model
max_batch_tokens = 4096        # word pieces in one pass, summed over its inputs
batch_wait_ms = 5              # how long a pass waits for company
truncate = false               # a long input is 400 instead of cut
"""
    spec = parse_config(tomllib.loads(text)).models[MINILM_MODEL]
    assert spec == MiniLMSpec(
        max_batch_inputs=16, max_batch_tokens=4096, batch_wait_ms=5, truncate=False
    )
    defaults = MiniLMSpec()
    assert (defaults.max_batch_inputs, defaults.max_batch_tokens) == (64, 2048)
    assert (defaults.batch_wait_ms, defaults.truncate) == (0, True)


def test_without_a_file_hashing_is_always_served_and_minilm_when_installed() -> None:
    config = default_config()
    assert config.models[HASHING_MODEL] == HashingSpec(dimensions=384)
    assert (MINILM_MODEL in config.models) == minilm_available()
    assert config.api_keys is None
    assert parse_config({"max_inputs": 5}).models == config.models


def test_without_the_minilm_extra_the_default_is_hashing_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(config_module, "minilm_available", lambda: False)
    assert list(default_config().models) == [HASHING_MODEL]


BAD = [
    ('[models."t/a"]\nbackend = "sparkle"', 'models."t/a".backend: unknown backend \'sparkle\' (one of hashing, minilm, fault, openai)'),
    ('[models."t/a"]\nbackend = "hashng"', "(did you mean 'hashing'?)"),
    ('[models."t/a"]\ndimensions = 3', 'models."t/a".backend: missing (one of hashing, minilm, fault, openai)'),
    ('[models."t/a"]\nbackend = "openai"\nmodel = "m"', 'models."t/a".base_url: missing (the openai backend needs it)'),
    ('[models."t/a"]\nbackend = "openai"\nbase_url = "ftp://x"\nmodel = "m"', 'models."t/a".base_url: must be an http(s) URL'),
    ('[models."t/a"]\nbackend = "fault"\nthen = "t/b"', 'models."t/a".then: names no model: \'t/b\''),
    ('[models."t/a"]\nbackend = "fault"\nthen = "t/b"\n[models."t/b"]\nbackend = "fault"\nthen = "t/a"', 'loops back (t/a -> t/b -> t/a)'),
    ('[models."t/a"]\nbackend = "fault"\nfail_with = [200]', 'models."t/a".fail_with: must be a list of statuses from 400 to 599'),
    ('[models."t/a"]\nbackend = "fault"\ndelay_ms = -1', 'models."t/a".delay_ms: must be at least 0, got -1'),
    ('[models."t/a"]\nbackend = "hashing"\ndimension = 3', "models.\"t/a\".dimension: unknown key (did you mean 'dimensions'?)"),
    ('[models."t/a"]\nbackend = "hashing"\ndimensions = "3"', "models.\"t/a\".dimensions: must be a whole number, got '3'"),
    ('[models."t/a"]\nbackend = "hashing"\ndimensions = 0', 'models."t/a".dimensions: must be at least 1, got 0'),
    ("api_keys = []", "api_keys: must list at least one key"),
    ('api_keys = ["", "k"]', "api_keys: must be a list of non-empty strings"),
    ("max_inputs = 0", "max_inputs: must be at least 1, got 0"),
    ("max_input = 3", "max_input: unknown key (did you mean 'max_inputs'?)"),
    ("models = 3", "models: must be a table of models"),
    ('[models."local/a"]\nbackend = "minilm"\nbatch_size = 16', 'models."local/a".batch_size: renamed max_batch_inputs'),
    ('[models."local/a"]\nbackend = "minilm"\ntruncate = "yes"', "models.\"local/a\".truncate: must be true or false, got 'yes'"),
    ('[models."local/a"]\nbackend = "minilm"\nmax_batch_inputs = 0', 'models."local/a".max_batch_inputs: must be at least 1, got 0'),
    ('[models."local/a"]\nbackend = "minilm"\nmax_batch_tokens = 0', 'models."local/a".max_batch_tokens: must be at least 1, got 0'),
    ('[models."local/a"]\nbackend = "minilm"\nbatch_wait_ms = -1', 'models."local/a".batch_wait_ms: must be at least 0, got -1'),
    ('[models."local/a"]\nbackend = "minilm"\nbatch_wait_ms = 60000', 'models."local/a".batch_wait_ms: at most 10000, got 60000'),
    ('[models."local/a"]\nbackend = "minilm"\nmax_batch_input = 8', "unknown key (did you mean 'max_batch_inputs'?)"),
    ('[models."local/a"]\nbackend = "hashing"\ntruncate = true', 'models."local/a".truncate: unknown key'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_config_is_one_line_naming_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "router.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    line = str(caught.value)
    assert message in line
    assert line.startswith(f"{path}: ")
    assert "\n" not in line


def test_unreadable_files_and_bad_toml_are_one_line_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read .*missing\.toml: No such file"):
        load_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[models\nx = ")
    with pytest.raises(ConfigError, match=r"broken\.toml: invalid TOML: .*line 1"):
        load_config(broken)


def test_what_only_shows_at_start_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPSTREAM_API_KEY", raising=False)
    config = parse_config(
        tomllib.loads(
            ISSUE_EXAMPLE.replace('[models."local/all-minilm-l6-v2"]\nbackend = "minilm"\n', "")
        )
    )
    with pytest.raises(
        ConfigError, match=r'models\."up/small"\.api_key_env: \$UPSTREAM_API_KEY is not set'
    ):
        LocalRouter(config)
    monkeypatch.setenv("UPSTREAM_API_KEY", "sk-up")
    assert "up/small" in LocalRouter(config).models


OPERATIONS_EXAMPLE = """
api_keys = ["key-a", "key-b"]
state = "redis://127.0.0.1:6379/0"
cooldown_failures = 4
cooldown_seconds = 2.5
max_queue_inputs = 256

[limits]
requests_per_minute = 600
tokens_per_minute = 1_000_000
max_concurrent = 32
[limits.keys."key-a"]
requests_per_minute = 60

[models."test/hash-32"]
backend = "hashing"
dimensions = 32
cooldown_failures = 0
max_queue_inputs = 8

[models."test/hash-64"]
backend = "hashing"
dimensions = 64
cooldown_seconds = 60
"""


def test_the_operations_keys_of_the_issue_are_the_contract() -> None:
    config = parse_config(tomllib.loads(OPERATIONS_EXAMPLE))
    assert config.state == "redis://127.0.0.1:6379/0"
    assert config.limits.default == Limit(600, 1_000_000, 32)
    assert config.limits.of("key-a") == Limit(60, 1_000_000, 32)  # the rest from [limits]
    assert config.limits.of("key-b") == config.limits.of(None) == Limit(600, 1_000_000, 32)
    assert config.cooldown_of("test/hash-32") == Cooldown(failures=0, seconds=2.5)
    assert config.cooldown_of("test/hash-64") == Cooldown(failures=4, seconds=60.0)
    assert config.max_queue_inputs_of("test/hash-32") == 8
    assert config.max_queue_inputs_of("test/hash-64") == 256


def test_the_operations_defaults() -> None:
    config = parse_config({"models": {"t/h": {"backend": "hashing"}}})
    assert config.state == "memory"
    assert not config.limits.any
    assert config.cooldown == Cooldown(failures=3, seconds=10.0)
    assert config.max_queue_inputs_of("t/h") == DEFAULT_MAX_QUEUE_INPUTS == 1024


OPERATIONS_BAD = [
    ('state = "mongodb://x"', "state: must be \"memory\" or a Redis URL"),
    ("state = 3", "state: must be \"memory\" or a Redis URL"),
    ("limits = 3", "limits: must be a table"),
    ("[limits]\nrequests_per_minut = 3", "limits.requests_per_minut: unknown key (did you mean 'requests_per_minute'?)"),
    ("[limits]\nmax_concurrent = 0", "limits.max_concurrent: must be at least 1, got 0"),
    ('[limits.keys."k"]\nrequests_per_minute = 3', "limits.keys: needs api_keys"),
    ('api_keys = ["k"]\n[limits.keys."sk-secret-typo"]\nrequests_per_minute = 3', "limits.keys: table 1 names a key api_keys does not list"),
    ("cooldown_failures = -1", "cooldown_failures: must be at least 0, got -1"),
    ("cooldown_seconds = 0", "cooldown_seconds: must be a number of seconds above 0, got 0"),
    ("max_queue_inputs = 0", "max_queue_inputs: must be at least 1, got 0"),
    ('[models."t/a"]\nbackend = "hashing"\ncooldown_seconds = "x"', 'models."t/a".cooldown_seconds: must be a number of seconds above 0'),
    ('[models."hashing-384"]\nbackend = "hashing"', 'models."hashing-384": a model id is provider/model'),
    ('[models."<string>"]\nbackend = "hashing"', 'models."<string>": a model id is provider/model'),
    ('[models."/x"]\nbackend = "hashing"', 'models."/x": a model id is provider/model'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), OPERATIONS_BAD)
def test_a_bad_operations_key_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "router.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert "sk-secret-typo" not in str(caught.value)  # a key is never repeated in a log


def test_the_config_and_the_sdk_share_one_model_id_rule() -> None:
    from orq_router import _model_ids, options
    from orq_router_server import config as server_config

    assert options.MODEL_ID is _model_ids.MODEL_ID  # type: ignore[attr-defined]
    assert server_config.is_model_id is _model_ids.is_model_id  # type: ignore[attr-defined]
    for name in ("local/hashing-384", "openai/text-embedding-3-small", "a/b/c"):
        assert _model_ids.is_model_id(name)
        options.check_model_id(name)
    for name in ("hashing-384", "<string>", "/x", "x/", "a b/c"):
        assert not _model_ids.is_model_id(name)
        with pytest.raises(ValueError):
            options.check_model_id(name)


def test_check_environment_refuses_a_minilm_model_without_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = parse_config({"models": {"local/all-minilm-l6-v2": {"backend": "minilm"}}})
    monkeypatch.setattr(config_module, "minilm_available", lambda: False)
    with pytest.raises(ConfigError, match=r"the minilm backend needs the minilm extra"):
        check_environment(config)
