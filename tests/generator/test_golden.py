"""The golden record: a fixture spec with every supported construct, and its output.

`golden/spec.yaml` uses each construct the generator supports at least once; its output
is committed in `golden/output/` (a package named `golden_api`) and must be exactly what
the generator writes today. A change of the generator shows up as a diff of that output
in review, and the tests below check that the output behaves as the constructs say.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import attrs
import pytest
import yaml

from generator.__main__ import Job, generate, main, make_job
from generator.tree import diff, existing_files
from tests.conftest import ROOT
from tests.generator.loopback import Loopback
from tests.router_server import EmbeddingsServer

GOLDEN = ROOT / "tests" / "generator" / "golden"
SPEC = GOLDEN / "spec.yaml"
OUTPUT = GOLDEN / "output"
ARGUMENTS = ["--spec", str(SPEC), "--out", str(OUTPUT), "--package", "golden_api"]


def _job() -> Job:
    return make_job(root=ROOT, spec=SPEC, out=OUTPUT, package="golden_api")


def test_the_committed_output_is_what_the_generator_writes_byte_for_byte() -> None:
    fresh = generate(_job())
    committed = existing_files(OUTPUT)
    assert fresh == committed, (
        "the golden output is stale: run `python -m generator "
        + " ".join(str(arg) for arg in ARGUMENTS)
        + "` and review the diff\n"
        + diff(committed, fresh)
    )


def test_the_check_mode_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGUMENTS, "--check", "--root", str(ROOT)]) == 0
    assert "is up to date, version 1.0.0" in capsys.readouterr().out


def test_the_golden_output_passes_mypy_strict_and_ruff() -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "golden_api"],
        cwd=OUTPUT,
        env={"MYPYPATH": str(OUTPUT), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    for command in (["check", "."], ["format", "--check", "."]):
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", *command],
            cwd=OUTPUT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


@pytest.fixture(scope="module")
def golden() -> Iterator[ModuleType]:
    """`golden_api.models`, imported from the committed output."""
    sys.path.insert(0, str(OUTPUT))
    try:
        yield importlib.import_module("golden_api.models")
    finally:
        sys.path.remove(str(OUTPUT))
        for name in [name for name in sys.modules if name.split(".")[0] == "golden_api"]:
            del sys.modules[name]


def _examples() -> list[tuple[str, Any]]:
    document = yaml.safe_load(SPEC.read_text())
    search = document["components"]["requestBodies"]["Search"]["content"]["application/json"]
    created = document["components"]["responses"]["ThingCreated"]["content"]["application/json"]
    found = document["paths"]["/things/search"]["post"]["responses"]["200"]["content"]
    return [
        ("Search", search["examples"]["simple"]["value"]),
        ("Thing", created["example"]),
        ("SearchThingsResponse", found["application/json"]["examples"]["empty"]["value"]),
    ]


@pytest.mark.parametrize(("model", "example"), _examples())
def test_the_spec_examples_round_trip(golden: ModuleType, model: str, example: Any) -> None:
    assert getattr(golden, model).from_dict(example).to_dict() == example


def test_inline_objects_and_enums_become_named_classes(golden: ModuleType) -> None:
    assert [member.value for member in golden.CreateThingRequestColour] == ["red", "green", "blue"]
    assert [member.value for member in golden.CreateThingRequestSize] == [1, 2, 3]
    assert [member.value for member in golden.CreateThingRequestMood] == ["happy", "sad"]
    assert attrs.has(golden.CreateThingRequestOwner)
    assert attrs.has(golden.CreateThingError4XX)
    assert attrs.has(golden.SearchThingsResponse)


def test_arrays_of_plain_numbers_keep_the_unwalked_vector_check() -> None:
    """`items: {type: number, format: float}` is a vector as much as `{type: number}`:
    a list check, no Python call per float (7 ms, not 0.8 s, for 2048 x 1536)."""
    source = (OUTPUT / "golden_api" / "models.py").read_text()
    assert source.count("validator=_v.field(_v.vector(), optional=True)") == 2
    assert "_v.array(_v.number()" not in source


FULL_REQUEST: dict[str, Any] = {
    "name": "ball-1",
    "shape": "circle",
    "colour": "green",
    "size": 2,
    "mood": None,
    "owner": {"email": "jane@example.com", "homepage": "https://example.com", "nickname": None},
    "tags": None,
    "labels": {"a": "b"},
    "extras": {"nested": [1, {"x": None}]},
    "anything": [True, "x"],
    "weight": 0.5,
    "count": 3,
    "big": 2**40,
    "ratio": "50%",
    "reference": None,
    "code": 7,
    "vector": [0.25, -1.0],
    "matrix": [[1, 2], [3]],
    "parts": [{"label": "a"}, {"label": "b", "quantity": 2}],
    "part_map": {"x": {"label": "c"}},
    "parent": None,
    "detail": {"side": 2.0},
    "flag": False,
    "from": "here",
    "id_alias": "abc",
    "wrapped": {"label": "w"},
}


def test_every_construct_round_trips_with_natural_python_values(golden: ModuleType) -> None:
    request = golden.CreateThingRequest.from_dict(FULL_REQUEST)
    assert request.to_dict() == FULL_REQUEST
    assert request.mood is None and request.tags is None and request.parent is None
    assert request.size is golden.CreateThingRequestSize.INTEGER_2
    assert isinstance(request.part_map["x"], golden.Part)
    assert isinstance(request.detail, golden.Square)
    assert request.from_ == "here"
    assert request.owner.nickname is None


def test_unions_of_objects_pick_the_one_branch_that_fits(golden: ModuleType) -> None:
    circle = golden.CreateThingRequest.from_dict({**FULL_REQUEST, "detail": {"radius": 1.0}})
    assert isinstance(circle.detail, golden.Circle)
    with pytest.raises(ValueError, match=r"CreateThingRequest\.detail"):
        golden.CreateThingRequest.from_dict({**FULL_REQUEST, "detail": {"edge": 1.0}})
    thing = golden.Thing.from_dict(
        {"id": "t", "name": "n", "shape": "square", "details": [{"side": 1}, {"radius": 2}]}
    )
    assert [type(detail).__name__ for detail in thing.details] == ["Square", "Circle"]


BAD = [
    ({"name": ""}, "name", "must not be empty"),
    ({"name": "Ball"}, "name", "must match"),
    ({"shape": "cube"}, "shape", "must be one of 'circle', 'square'"),
    ({"size": 4}, "size", "must be one of 1, 2, 3"),
    ({"mood": "angry"}, "mood", "must be one of 'happy', 'sad'"),
    ({"owner": {"email": "nope"}}, "owner.email", "must be an email address"),
    ({"tags": ["a", "b", "c", "d"]}, "tags", "must have at most 3 items"),
    ({"labels": {"a": 1}}, "labels.a", "must be a string"),
    ({"weight": 0}, "weight", "must be greater than 0"),
    ({"count": 2**31}, "count", "must be at most 2147483647"),
    ({"big": -(2**63) - 1}, "big", "must be at least -9223372036854775808"),
    ({"ratio": "half"}, "ratio", "must match"),
    ({"reference": 1.5}, "reference", "must be a string or an integer or None, got float 1.5"),
    ({"code": None}, "code", "must be a string or an integer, got None"),
    ({"matrix": [[1, "2"]]}, "matrix[0][1]", "must be a cell (an integer), got str '2'"),
    ({"matrix": [1]}, "matrix[0]", "must be a list of cells (integers), got int 1"),
    ({"parts": [{"label": "a", "quantity": 0}]}, "parts[0].quantity", "must be at least 1"),
    ({"part_map": {"x": {}}}, "part_map.x.label", "is required"),
    ({"id_alias": "ab"}, "id_alias", "must be at least 3 characters long"),
    ({"from_": "x"}, "from_", "is not a field of CreateThingRequest; did you mean 'from'?"),
]


@pytest.mark.parametrize(("change", "location", "message"), BAD)
def test_every_construct_is_checked_naming_the_field(
    golden: ModuleType, change: dict[str, Any], location: str, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        golden.CreateThingRequest.from_dict({**FULL_REQUEST, **change})
    error: Any = caught.value
    assert (error.location, message in error.message) == (location, True), str(error)


def test_null_is_refused_where_the_spec_does_not_allow_it(golden: ModuleType) -> None:
    with pytest.raises(ValueError, match="weight: must be a number, got None"):
        golden.CreateThingRequest.from_dict({**FULL_REQUEST, "weight": None})


@attrs.frozen
class _Builder:
    """A layer on top's helper: anything with `to_model()` is accepted for a model."""

    label: str

    def to_model(self) -> Any:
        module = sys.modules["golden_api.models"]
        return module.Part(label=self.label)


def test_from_params_takes_every_friendly_form(golden: ModuleType) -> None:
    request = golden.CreateThingRequest.from_params(
        name="ball",
        shape=golden.Shape.CIRCLE,
        colour="blue",
        owner={"email": "jane@example.com"},
        tags=("a", "b"),
        parts=[_Builder("a"), {"label": "b"}, golden.Part(label="c")],
        part_map={"x": _Builder("x")},
        detail=golden.Circle(radius=1.0),
        from_="there",
        count=None,
    )
    assert request.to_dict() == {
        "name": "ball",
        "shape": "circle",
        "colour": "blue",
        "owner": {"email": "jane@example.com"},
        "tags": ["a", "b"],
        "parts": [{"label": "a"}, {"label": "b"}, {"label": "c"}],
        "part_map": {"x": {"label": "x"}},
        "detail": {"radius": 1.0},
        "from": "there",
    }
    search = golden.Search.from_params(query="q", x_y=3, include=[{"field": "a"}])
    assert search.to_dict() == {"query": "q", "x-y": 3, "include": [{"field": "a"}]}
    assert isinstance(search.include[0], golden.FiltersItem)


def test_from_params_checks_like_from_dict(golden: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"CreateThingRequest\.colour: must be one of"):
        golden.CreateThingRequest.from_params(name="ball", shape="circle", colour="pink")


def test_the_client_sends_the_key_in_the_header_the_scheme_names(golden: ModuleType) -> None:
    client_module = importlib.import_module("golden_api.client")
    search = importlib.import_module("golden_api.api.misc.search_things")
    errors = importlib.import_module("golden_api.errors")
    with EmbeddingsServer() as server:
        server.answer(200, {"things": [], "next": None})
        server.answer(500, {"message": "boom"})
        client = client_module.Client(base_url=server.url + "/api", token="key-123")
        found = search.sync(client, body=golden.Search(query="q"))
        with pytest.raises(errors.UnexpectedStatus) as caught:
            search.sync(client, body=golden.Search(query="q"))
    assert found.to_dict() == {"things": [], "next": None}
    sent = server.exchanges[0]
    assert (sent.method, sent.path, sent.json()) == ("POST", "/api/things/search", {"query": "q"})
    assert sent.headers["x-api-key"] == "key-123"
    assert "authorization" not in sent.headers
    # The operation documents no error body: the status and the raw bytes are kept.
    assert (caught.value.status_code, caught.value.parsed) == (500, None)
    assert caught.value.content == b'{"message": "boom"}'
    assert client_module.DEFAULT_BASE_URL == "http://127.0.0.1:9999/api"


# The constructs of issue 16, each with its own test -------------------------------------

NEW_FIELDS: dict[str, Any] = {
    "kind": "thing",
    "model": "small",
    "detailed": {"label": "d", "note": "merged", "quantity": 2},
    "content": {"type": "text", "text": "hello"},
    "event": {"kind": "created", "at": 5},
    "mode": {"mode": "slow", "delay": 0.5},
    "width": 640,
    "blob": "aGk=",
    "when": "2026-12-02T10:00:00Z",
    "names": ["a", "b"],
    "step": 15,
    "unique": [1, 2],
    "level": 1,
}


def _request(**change: Any) -> Any:
    module = sys.modules["golden_api.models"]
    return module.CreateThingRequest.from_dict({**FULL_REQUEST, **NEW_FIELDS, **change})


def _refused(change: dict[str, Any]) -> Any:
    with pytest.raises(ValueError) as caught:
        _request(**change)
    return caught.value


def test_the_new_constructs_round_trip(golden: ModuleType) -> None:
    request = _request()
    assert request.to_dict() == {**FULL_REQUEST, **NEW_FIELDS}
    assert request.blob == b"hi"
    assert request.level is golden.CreateThingRequestLevel.INTEGER_1
    assert _request(level=None).level is None


def test_a_const_is_a_literal_and_only_its_value_passes(golden: ModuleType) -> None:
    source = (OUTPUT / "golden_api" / "models.py").read_text()
    assert 'kind: Literal["thing"] | Unset = attrs.field(' in source
    assert _request(kind="thing").kind == "thing"
    error = _refused({"kind": "things"})
    assert (error.location, error.message) == ("kind", "must be 'thing', got str 'things'")


def test_a_type_beside_anyof_goes_into_each_branch(golden: ModuleType) -> None:
    assert _request(model="small").model is golden.CreateThingRequestModelOption1.SMALL
    assert _request(model="custom").model == "custom"
    # "" is neither a member nor long enough for the other branch (minLength: 1, a string).
    assert _refused({"model": ""}).message == "must be one of 'small', 'large', got ''"
    assert _refused({"model": 5}).message.startswith("must be one of 'small', 'large'")


def test_a_discriminator_with_a_mapping_decodes_to_the_class_it_names(golden: ModuleType) -> None:
    assert isinstance(_request().content, golden.TextPart)
    image = _request(content={"type": "image_url", "url": "https://example.com/a.png"})
    assert isinstance(image.content, golden.ImagePart)
    error = _refused({"content": {"type": "video", "url": "x"}})
    assert (error.location, error.message) == (
        "content.type",
        "must be one of 'text', 'image_url', got 'video'",
    )
    # The tag names the class, whose own checks then speak.
    error = _refused({"content": {"type": "image_url", "url": "no"}})
    assert error.location == "content.url" and "absolute URI" in error.message


def test_a_discriminator_without_mapping_and_names_with_underscores(golden: ModuleType) -> None:
    # `Thing_Event`, `Created_Event`: the engine names them ThingEvent, CreatedEvent.
    assert isinstance(_request().event, golden.CreatedEvent)
    deleted = _request(event={"kind": "deleted", "reason": "old"})
    assert isinstance(deleted.event, golden.DeletedEvent)
    assert deleted.to_dict()["event"] == {"kind": "deleted", "reason": "old"}
    assert "ThingEvent" not in dir(golden) and "Created_Event" not in dir(golden)


def test_branches_with_their_own_constants_are_a_tagged_union(golden: ModuleType) -> None:
    assert isinstance(_request().mode, golden.SlowMode)
    assert isinstance(_request(mode={"mode": "fast", "burst": 2}).mode, golden.FastMode)
    # Without the tag, an anyOf takes the first branch that fits.
    assert isinstance(_request(mode={}).mode, golden.FastMode)


def test_allof_of_several_objects_is_one_model(golden: ModuleType) -> None:
    detailed = _request().detailed
    assert isinstance(detailed, golden.CreateThingRequestDetailed)
    assert (detailed.label, detailed.note, detailed.quantity) == ("d", "merged", 2)
    error = _refused({"detailed": {"label": "d"}})
    assert (error.location, error.message) == ("detailed.note", "is required")


def test_numeric_formats_binary_and_unchecked_formats(golden: ModuleType) -> None:
    error = _refused({"width": 2**31})
    assert (error.location, error.message) == (
        "width",
        "must be at most 2147483647, got 2147483648",
    )
    assert _request(width=1.5).width == 1.5  # still a number
    assert _request(blob="").blob == b""
    assert "base64" in _refused({"blob": "not base64!"}).message
    assert _request(when="whenever").when == "whenever"  # date-time: not checked


def test_an_array_with_a_default_and_the_new_constraints(golden: ModuleType) -> None:
    assert _request(names=[]).names == []
    source = (OUTPUT / "golden_api" / "models.py").read_text()
    assert "When omitted, the server uses `[]`." in source
    assert _refused({"step": 7}).message == "must be a multiple of 5, got 7"
    assert _refused({"unique": [1, 2, 1]}).message == (
        "must hold distinct items, but items 0 and 2 are equal"
    )
    assert "must be one of 1" in _refused({"level": 2}).message


def test_required_naming_an_undefined_property_makes_it_required_and_untyped(
    golden: ModuleType,
) -> None:
    assert golden.Record.from_dict({"id": "a", "extra": [1, {"b": None}]}).extra == [1, {"b": None}]
    with pytest.raises(ValueError, match=r"Record\.extra: is required"):
        golden.Record.from_dict({"id": "a"})


def test_parameters_bare_bodies_and_tagged_union_bodies_reach_the_wire(golden: ModuleType) -> None:
    client_module = importlib.import_module("golden_api.client")
    get_thing = importlib.import_module("golden_api.api.things.get_thing")
    delete_thing = importlib.import_module("golden_api.api.things.delete_thing")
    embed = importlib.import_module("golden_api.api.misc.embed")
    classify = importlib.import_module("golden_api.api.misc.classify")
    thing = {"id": "t/1", "name": "ball", "shape": "circle"}
    with Loopback() as server:
        server.answer(200, thing)
        server.answer(204)
        server.answer(200, [[0.5, -1.0], [0.25, 0.0]])
        server.answer(200, "label-a")
        client = client_module.Client(base_url=server.url + "/api", token="k")
        found = get_thing.sync(
            client,
            thing_id="t/1",
            limit=3,
            tags=("a", "b c"),
            fields=["x", "y"],
            order="desc",
            exact=False,
            x_request_id="r-1",
        )
        assert delete_thing.sync_detailed(client, thing_id="t/1").parsed is None
        vectors = embed.sync(client, body=["a", "b"])
        label = classify.sync(
            client, body=golden.ImagePart(type=golden.PartType.IMAGE_URL, url="https://e.x/a.png")
        )
    assert found.to_dict() == thing and vectors == [[0.5, -1.0], [0.25, 0.0]] and label == "label-a"
    get, delete, post, tagged = server.requests
    assert (get.method, get.path) == ("GET", "/api/things/t%2F1")
    assert get.query == {
        "limit": ["3"],
        "tags": ["a", "b c"],
        "fields": ["x,y"],
        "order": ["desc"],
        "exact": ["false"],
    }
    assert get.headers["x-request-id"] == "r-1" and get.body == b""
    assert (delete.method, delete.path) == ("DELETE", "/api/things/t%2F1")
    assert (post.path, post.json()) == ("/api/embed", ["a", "b"])
    assert tagged.json() == {"type": "image_url", "url": "https://e.x/a.png"}


def test_parameters_and_bare_bodies_are_checked_before_anything_is_sent(golden: ModuleType) -> None:
    client_module = importlib.import_module("golden_api.client")
    get_thing = importlib.import_module("golden_api.api.things.get_thing")
    embed = importlib.import_module("golden_api.api.misc.embed")
    client = client_module.Client(base_url="http://127.0.0.1:9", token="k")
    with pytest.raises(ValueError, match=r"^limit: must be at least 1, got 0$"):
        get_thing.sync(client, thing_id="t1", limit=0)
    with pytest.raises(ValueError, match=r"^thing_id: must be at least 2 characters long"):
        get_thing.sync(client, thing_id="t")
    with pytest.raises(ValueError, match=r"^order: must be one of 'asc', 'desc', got 'up'$"):
        get_thing.sync(client, thing_id="t1", order="up")
    with pytest.raises(ValueError, match=r"^must not be empty$"):
        embed.sync(client, body=[])


def test_a_bare_answer_that_is_not_the_documented_json_is_malformed(golden: ModuleType) -> None:
    client_module = importlib.import_module("golden_api.client")
    embed = importlib.import_module("golden_api.api.misc.embed")
    errors = importlib.import_module("golden_api.errors")
    with Loopback() as server:
        server.answer(200, [[0.5, "x"]])
        client = client_module.Client(base_url=server.url, token="k")
        with pytest.raises(errors.MalformedResponse, match=r"not the documented JSON: \[0\]\[1\]"):
            embed.sync(client, body=["a"])


def test_required_keywords_named_like_builtins_do_not_break_from_params(golden: ModuleType) -> None:
    request = golden.TagThingRequest.from_params(type="red", len=2)
    assert request.to_dict() == {"type": "red", "len": 2}
    with pytest.raises(ValueError, match=r"TagThingRequest\.len: must be an integer"):
        golden.TagThingRequest.from_params(type="red", len="2")
