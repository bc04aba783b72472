"""The generated `asyncio` functions: the same request, answers and errors over aiohttp."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
import urllib3

from orq_router_api import AsyncClient, Client, MalformedResponse, UnexpectedStatus
from orq_router_api.api.embeddings import create_embedding
from orq_router_api.models import CreateEmbeddingRequest, CreateEmbeddingResponse, ErrorResponse
from tests.conftest import FIXTURES
from tests.facade.aio import Loop
from tests.router_server import EmbeddingsServer

TOKEN = "test-token-123"
"""A key the test router (tests/router.toml) accepts."""


@pytest.fixture
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer() as running:
        yield running


@pytest.fixture
def aio() -> Iterator[Loop]:
    loop = Loop()
    yield loop
    loop.close()


def test_asyncio_detailed_sends_what_sync_detailed_sends(
    server: EmbeddingsServer, aio: Loop, seed_request: dict[str, Any]
) -> None:
    body = CreateEmbeddingRequest.from_dict(seed_request)
    # The reference's model "<string>" is no provider/model id, so no router serves it:
    # the reference's own example answer is sent back, to both calls.
    seed_response = json.loads((FIXTURES / "seed_response.json").read_text())
    server.answer(200, seed_response)
    server.answer(200, seed_response)

    async def send() -> Any:
        async with AsyncClient(base_url=server.url, token=TOKEN) as client:
            return await create_embedding.asyncio_detailed(client, body=body)

    answer = aio.run(send())
    create_embedding.sync_detailed(Client(base_url=server.url, token=TOKEN), body=body)
    sent, again = server.exchanges
    assert sent.body == again.body and sent.path == again.path == create_embedding.PATH
    for name in ("authorization", "content-type", "accept", "user-agent"):
        assert sent.headers[name] == again.headers[name]
    assert answer.status_code == 200 and answer.headers["X-Request-Id"] == "req_0001"
    assert isinstance(answer.parsed, CreateEmbeddingResponse)
    assert answer.parsed.to_dict() == json.loads(answer.content)


def test_asyncio_raises_what_sync_raises(server: EmbeddingsServer, aio: Loop) -> None:
    error = {"error": {"message": "upstream failed", "type": "server_error", "code": "internal"}}
    server.answer(500, error, {"X-Request-Id": "req_boom"})
    server.answer(200, {"object": "list"})
    body = CreateEmbeddingRequest(input="a", model="m")

    async def send() -> None:
        async with AsyncClient(base_url=server.url, token=TOKEN) as client:
            with pytest.raises(UnexpectedStatus) as caught:
                await create_embedding.asyncio(client, body=body)
            assert caught.value.status_code == 500
            assert caught.value.headers["x-request-id"] == "req_boom"
            assert isinstance(caught.value.parsed, ErrorResponse)
            assert caught.value.parsed.error.message == "upstream failed"
            with pytest.raises(MalformedResponse, match="is not a CreateEmbeddingResponse"):
                await create_embedding.asyncio(client, body=body)

    aio.run(send())


def test_extra_headers_extra_body_and_timeout_per_call(server: EmbeddingsServer, aio: Loop) -> None:
    body = CreateEmbeddingRequest(input="a", model="openai/text-embedding-3-small")
    extra: dict[str, Any] = {"extra_headers": {"X-Trace": "t"}, "extra_body": {"dimensions": 8}}
    sync = Client(base_url=server.url, token=TOKEN)
    create_embedding.sync(sync, body=body, timeout=urllib3.Timeout(total=5), **extra)

    async def send() -> None:
        async with AsyncClient(base_url=server.url, token=TOKEN) as client:
            result = await create_embedding.asyncio(client, body=body, timeout=5.0, **extra)
            assert len(result.data[0].embedding) == 8

    aio.run(send())
    for exchange in server.exchanges:
        assert exchange.headers["x-trace"] == "t" and exchange.json()["dimensions"] == 8


def test_a_session_given_stays_open_and_one_made_is_closed(
    server: EmbeddingsServer, aio: Loop
) -> None:
    body = CreateEmbeddingRequest(input="a", model="openai/text-embedding-3-small")

    async def send() -> None:
        async with aiohttp.ClientSession() as session:
            async with AsyncClient(base_url=server.url, token=TOKEN, session=session) as client:
                await create_embedding.asyncio(client, body=body)
            assert not session.closed
        own = AsyncClient(base_url=server.url, token=TOKEN)
        await create_embedding.asyncio(own, body=body)
        made = own._state.session
        assert made is not None and not made.closed
        await own.close()
        assert made.closed

    aio.run(send())
    assert len(server.exchanges) == 2


def test_without_aiohttp_the_package_imports_and_says_what_to_install() -> None:
    code = (
        "import sys, asyncio\n"
        "sys.modules['aiohttp'] = None\n"
        "from orq_router_api import AsyncClient, Client\n"
        "from orq_router_api.api.embeddings import create_embedding\n"
        "from orq_router_api.models import CreateEmbeddingRequest\n"
        "client = AsyncClient(base_url='http://127.0.0.1:9')\n"
        "body = CreateEmbeddingRequest(input='a', model='m')\n"
        "try:\n"
        "    asyncio.run(create_embedding.asyncio(client, body=body))\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert "pip install 'orq-router-api[async]'" in done.stdout, done.stderr
