"""One adapter per contender and setting, all with the same shape: `connect(url)(texts)`.

`connect` imports the contender and builds its client (that is what the cold-start
measurement times); the call it returns makes one embeddings request for `texts` and
returns what a user would hold afterwards. Each `Case` says what that is, because the
contenders stop at different points: orq-router keeps base64 vectors packed until asked,
openai decodes them to lists, orq-ai-sdk hands back the base64 strings as they came.

Contenders are imported inside the adapters, never at module level: this module is
imported before the clock starts in the cold-start and memory subprocesses.
"""

from __future__ import annotations

import binascii
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, cast

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

API_KEY: Final = "sk-bench-0000000000000000"
MODEL: Final = "openai/text-embedding-3-small"
PATH: Final = "/v2/router/embeddings"

Call = Callable[[list[str]], object]
Wire = Literal["float", "base64"]

STDLIB_ONLY: Final = "ORQ_BENCH_STDLIB"
"""Set (by `python -m bench --stdlib`, inherited by the probes' subprocesses): orq-router
is measured without its `fast` extra, as if orjson and pybase64 were not installed."""


def hide_fast_extra() -> None:
    """Hide orjson and pybase64 from orq-router when `STDLIB_ONLY` is set.

    Called before orq-router is first imported: an import of either module then fails
    as it would without them installed. No peer uses them.
    """
    if os.environ.get(STDLIB_ONLY):
        sys.modules["orjson"] = None  # type: ignore[assignment]
        sys.modules["pybase64"] = None  # type: ignore[assignment]


def decoders() -> str:
    """What orq-router reads answers with in this process: the `fast` extra or stdlib."""
    hide_fast_extra()
    from orq_router import _vectors
    from orq_router_api import _decode

    json_reader = "orjson" if _decode._fast_loads is not None else "json"
    base64_reader = "pybase64" if _vectors._fast_b64decode is not None else "binascii"
    return f"{json_reader} + {base64_reader}"


def _rows_to_matrix(rows: list[str]) -> npt.NDArray[np.float32]:
    """What a user does with base64 rows to get one (n, d) float32 array."""
    import numpy as np

    packed = b"".join(binascii.a2b_base64(row) for row in rows)
    matrix: npt.NDArray[np.float32] = np.frombuffer(packed, dtype="<f4").reshape(len(rows), -1)
    return matrix


def orq_router(
    url: str, *, encoding: Wire | None = None, then: Literal["", "numpy", "lists"] = ""
) -> Call:
    """Ours. `then` adds `.to_numpy()` or `.to_lists()` to the timed call."""
    hide_fast_extra()
    from orq_router import Orq

    client = Orq(api_key=API_KEY, base_url=url)

    def call(texts: list[str]) -> object:
        if encoding is None:
            res = client.router.embeddings.create(input=texts, model=MODEL)
        else:
            res = client.router.embeddings.create(
                input=texts, model=MODEL, encoding_format=encoding
            )
        if then == "numpy":
            return res.to_numpy()
        if then == "lists":
            return res.to_lists()
        return res

    return call


def orq_ai_sdk(url: str, *, encoding: Wire | None = None, to_numpy: bool = False) -> Call:
    """The official SDK (Speakeasy-generated, httpx + pydantic); `server_url` is its base URL.

    With base64 it returns the strings as they came; `to_numpy` adds the decoding a
    user would then write, so that row can be compared with ours and openai.
    """
    from orq_ai_sdk import Orq

    client = Orq(api_key=API_KEY, server_url=url)

    def call(texts: list[str]) -> object:
        # Its stubs want list[str | list[int]]: a list[str] is one at run time.
        inputs = cast("list[str | list[int]]", texts)
        if encoding is None:
            res = client.router.embeddings.create(input=inputs, model=MODEL)
        else:
            res = client.router.embeddings.create(
                input=inputs, model=MODEL, encoding_format=encoding
            )
        if not to_numpy:
            return res
        rows = [item.embedding for item in res.data or ()]
        return _rows_to_matrix([row for row in rows if isinstance(row, str)])

    return call


def openai(url: str, *, encoding: Wire | None = None) -> Call:
    """openai pointed at the router: it posts to `{base_url}/embeddings`.

    Without `encoding_format` it asks for base64 and decodes every row to `list[float]`
    (with numpy when installed, as here).
    """
    from openai import OpenAI

    client = OpenAI(api_key=API_KEY, base_url=url + "/v2/router")

    def call(texts: list[str]) -> object:
        if encoding is None:
            return client.embeddings.create(input=texts, model=MODEL)
        return client.embeddings.create(input=texts, model=MODEL, encoding_format=encoding)

    return call


def floor_readers() -> tuple[Callable[[bytes], Any], Callable[[str], bytes], str]:
    """The fastest raw stack this run allows: orjson + pybase64 when the `fast` extra is
    measured (they are installed), `json` + `binascii` with `--stdlib`; and its name."""
    if not os.environ.get(STDLIB_ONLY):
        try:
            import orjson
            import pybase64
        except ImportError:
            pass
        else:
            return orjson.loads, pybase64.b64decode, "orjson + pybase64"
    return json.loads, binascii.a2b_base64, "json + binascii"


def raw_urllib3(url: str, *, encoding: Wire = "float") -> Call:
    """The floor: one urllib3 POST, the fastest JSON reader, and for base64 the fastest
    base64 decoder and one `np.frombuffer` (`floor_readers`)."""
    import urllib3

    loads, b64decode, _ = floor_readers()
    if encoding == "base64":  # numpy only where the rows become an array (cold start!)
        import numpy as np
    pool = urllib3.PoolManager()
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    def call(texts: list[str]) -> object:
        body: dict[str, object] = {"input": texts, "model": MODEL}
        if encoding == "base64":
            body["encoding_format"] = "base64"
        response = pool.request("POST", url + PATH, body=json.dumps(body), headers=headers)
        parsed: dict[str, Any] = loads(response.data)
        if encoding == "base64":
            rows = [b64decode(item["embedding"]) for item in parsed["data"]]
            return np.frombuffer(b"".join(rows), dtype="<f4").reshape(len(rows), -1)
        return parsed

    return call


def _on_a_loop() -> Callable[[Any], Any]:
    """Run a coroutine to its end on one event loop kept for the whole bench: how an async
    client's call is timed (the loop's own cost is in the timing, as a user pays it)."""
    import asyncio

    loop = asyncio.new_event_loop()
    return loop.run_until_complete


def orq_router_async(url: str, *, encoding: Wire | None = None) -> Call:
    """Ours for asyncio: `await AsyncOrq(...).router.embeddings.create(...)`."""
    hide_fast_extra()
    from orq_router import AsyncOrq

    run = _on_a_loop()
    client = AsyncOrq(api_key=API_KEY, base_url=url)
    create = client.router.embeddings.create

    def call(texts: list[str]) -> object:
        if encoding is None:
            return run(create(input=texts, model=MODEL))
        return run(create(input=texts, model=MODEL, encoding_format=encoding))

    def close() -> None:  # run.py calls it: the session, then the loop
        run(client.close())
        run.__self__.close()  # type: ignore[attr-defined]  # the loop of `_on_a_loop`

    call.close = close  # type: ignore[attr-defined]
    return call


def orq_ai_sdk_async(url: str, *, encoding: Wire | None = None) -> Call:
    """The official SDK's `create_async`."""
    from orq_ai_sdk import Orq

    run = _on_a_loop()
    client = Orq(api_key=API_KEY, server_url=url)

    def call(texts: list[str]) -> object:
        inputs = cast("list[str | list[int]]", texts)
        if encoding is None:
            return run(client.router.embeddings.create_async(input=inputs, model=MODEL))
        return run(
            client.router.embeddings.create_async(
                input=inputs, model=MODEL, encoding_format=encoding
            )
        )

    return call


def openai_async(url: str, *, encoding: Wire | None = None) -> Call:
    """`AsyncOpenAI` pointed at the router."""
    from openai import AsyncOpenAI

    run = _on_a_loop()
    client = AsyncOpenAI(api_key=API_KEY, base_url=url + "/v2/router")

    def call(texts: list[str]) -> object:
        if encoding is None:
            return run(client.embeddings.create(input=texts, model=MODEL))
        return run(client.embeddings.create(input=texts, model=MODEL, encoding_format=encoding))

    return call


@dataclass(frozen=True)
class Case:
    """One row of the table: a contender, how it is called, what the timing includes."""

    key: str
    contender: str
    """The distribution measured (its version goes in the report)."""
    request: str
    """What goes on the wire."""
    result: str
    """What the timed call ends with."""
    reference: str
    """The key of ours' row with the same wire encoding and the same kind of result:
    the "x ours" columns divide by that row."""
    connect: Callable[[str], Call]


CASES: Final[tuple[Case, ...]] = (
    Case(
        "ours",
        "orq-router",
        "default: base64",
        "EmbeddingResponse; vectors kept packed, decoded on access",
        "ours",
        lambda url: orq_router(url),
    ),
    Case(
        "ours+np",
        "orq-router",
        "default: base64",
        "+ `.to_numpy()`: (n, d) float32",
        "ours+np",
        lambda url: orq_router(url, then="numpy"),
    ),
    Case(
        "ours+lists",
        "orq-router",
        "default: base64",
        "+ `.to_lists()`: list[float] rows",
        "ours+lists",
        lambda url: orq_router(url, then="lists"),
    ),
    Case(
        "ours/float",
        "orq-router",
        'encoding_format="float"',
        "EmbeddingResponse; list[float] rows (JSON)",
        "ours/float",
        lambda url: orq_router(url, encoding="float"),
    ),
    Case(
        "ours-async/float",
        "orq-router",
        'encoding_format="float"',
        "`AsyncOrq`, awaited on one loop; list[float] rows (JSON)",
        "ours/float",
        lambda url: orq_router_async(url, encoding="float"),
    ),
    Case(
        "sdk",
        "orq-ai-sdk",
        "default: float (field not sent)",
        "pydantic model; list[float] rows",
        "ours/float",
        lambda url: orq_ai_sdk(url),
    ),
    Case(
        "sdk/float",
        "orq-ai-sdk",
        'encoding_format="float"',
        "pydantic model; list[float] rows",
        "ours/float",
        lambda url: orq_ai_sdk(url, encoding="float"),
    ),
    Case(
        "sdk/b64",
        "orq-ai-sdk",
        'encoding_format="base64"',
        "pydantic model; rows are base64 *strings*, not decoded",
        "ours",
        lambda url: orq_ai_sdk(url, encoding="base64"),
    ),
    Case(
        "sdk/b64+np",
        "orq-ai-sdk",
        'encoding_format="base64"',
        "+ user code `a2b_base64` + `np.frombuffer`: (n, d) float32",
        "ours+np",
        lambda url: orq_ai_sdk(url, encoding="base64", to_numpy=True),
    ),
    Case(
        "openai",
        "openai",
        "default: base64",
        "decoded by openai to list[float] rows",
        "ours+lists",
        lambda url: openai(url),
    ),
    Case(
        "openai/float",
        "openai",
        'encoding_format="float"',
        "list[float] rows (JSON)",
        "ours/float",
        lambda url: openai(url, encoding="float"),
    ),
    Case(
        "sdk-async/float",
        "orq-ai-sdk",
        'encoding_format="float"',
        "`create_async`, awaited on one loop; list[float] rows",
        "ours/float",
        lambda url: orq_ai_sdk_async(url, encoding="float"),
    ),
    Case(
        "openai-async/float",
        "openai",
        'encoding_format="float"',
        "`AsyncOpenAI`, awaited on one loop; list[float] rows (JSON)",
        "ours/float",
        lambda url: openai_async(url, encoding="float"),
    ),
    Case(
        "raw/json",
        "urllib3",
        'encoding_format="float"',
        "the floor's JSON reader: a dict of list[float] rows",
        "ours/float",
        lambda url: raw_urllib3(url),
    ),
    Case(
        "raw/b64+np",
        "urllib3",
        'encoding_format="base64"',
        "the floor: fastest JSON + base64 readers, one `np.frombuffer`: (n, d) float32",
        "ours+np",
        lambda url: raw_urllib3(url, encoding="base64"),
    ),
)
CASES_BY_KEY: Final[Mapping[str, Case]] = {case.key: case for case in CASES}

COLD_START: Final[Mapping[str, Callable[[str], Call]]] = {
    "orq-router": orq_router,
    "orq-ai-sdk": orq_ai_sdk,
    "openai": openai,
    "urllib3": raw_urllib3,
}
"""Each contender's default adapter: `import` + client, then a first call."""
OURS: Final = "orq-router"


def shape(result: object) -> tuple[int, int]:
    """(vectors, dimensions) of any contender's result: a check that the call worked."""
    found: Any = result
    if hasattr(found, "shape"):
        rows, width = found.shape
        return int(rows), int(width)
    if isinstance(found, list):
        return len(found), len(found[0])
    data = found["data"] if isinstance(found, dict) else found.data
    first = data[0]
    vector = first["embedding"] if isinstance(first, dict) else first.embedding
    width = len(binascii.a2b_base64(vector)) // 4 if isinstance(vector, str) else len(vector)
    return len(data), width
