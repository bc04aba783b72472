"""`orq_router.bulk`: ArrowEmbedder, the id-keyed Parquet sink, done_ids and verify."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orq_router import EmbedManyError, ValidationError, bulk
from orq_router.bulk import (
    ArrowEmbedder,
    DoneIds,
    ParquetSink,
    block_name,
    done_ids,
    verify,
    write_block,
)
from tests.conftest import ROOT
from tests.corpora.conftest import MODEL, sent_inputs
from tests.facade.conftest import TEST_KEY
from tests.router_server import EmbeddingsServer, vectors


def _embedder(router: EmbeddingsServer, **options: Any) -> ArrowEmbedder:
    return ArrowEmbedder(model=MODEL, base_url=router.url, api_key=TEST_KEY, **options)


@pytest.mark.parametrize(
    "ids", [[5, 3, 9, 1, 7], ["e", "c", "i", "a", "g"]], ids=["int ids", "string ids"]
)
@pytest.mark.parametrize("form", ["table", "record batch"])
def test_a_table_comes_back_as_ids_and_fixed_size_vectors_in_input_order(
    router: EmbeddingsServer, ids: list[object], form: str
) -> None:
    texts = [f"text of row {key}" for key in ids]
    table = pa.table({"text": texts, "id": ids, "extra": [1.0] * len(ids)})
    batch: pa.Table | pa.RecordBatch = table if form == "table" else table.to_batches()[0]
    result = _embedder(router, batch_size=2)(batch)
    assert result.column_names == ["id", "embedding"]
    assert result.column("id").to_pylist() == ids
    assert result.schema.field("embedding").type == pa.list_(pa.float32(), 256)
    assert result.schema.metadata == {b"orq-router:model": MODEL.encode()}
    expected = vectors(texts, MODEL)
    for row, vector in zip(result.column("embedding").to_pylist(), expected, strict=True):
        assert row == pytest.approx(vector, abs=1e-6)
    assert len(router.exchanges) == 3  # batches of 2, sent concurrently, rows in order


def test_skip_ids_are_dropped_before_anything_is_sent(router: EmbeddingsServer) -> None:
    table = pa.table({"id": [1, 2, 3, 4], "text": ["a", "b", "c", "d"]})
    result = _embedder(router, skip_ids={2, 4, 99})(table)
    assert result.column("id").to_pylist() == [1, 3]
    assert sent_inputs(router) == ["a", "c"]
    router.reset()
    nothing = _embedder(router, skip_ids=[1, 2, 3, 4])(table)
    assert nothing.num_rows == 0 and nothing.column_names == ["id", "embedding"]
    assert router.exchanges == []


def test_an_empty_block_sends_nothing_and_keeps_the_schema(router: EmbeddingsServer) -> None:
    embedder = _embedder(router)
    empty = pa.table({"id": pa.array([], pa.int32()), "text": pa.array([], pa.string())})
    first = embedder(empty)
    assert first.num_rows == 0 and first.schema.field("id").type == pa.int32()
    assert first.schema.field("embedding").type == pa.list_(pa.float32())  # width unknown yet
    embedder(pa.table({"id": pa.array([1], pa.int32()), "text": ["x"]}))
    later = embedder(empty)
    assert later.schema.field("embedding").type == pa.list_(pa.float32(), 256)
    assert len(router.exchanges) == 1


def test_bad_tables_and_settings_are_refused_before_anything_is_sent(
    router: EmbeddingsServer,
) -> None:
    embedder = _embedder(router)
    with pytest.raises(ValidationError, match=r"no column 'text' \(columns: id, body\)"):
        embedder(pa.table({"id": [1], "body": ["x"]}))
    with pytest.raises(ValidationError, match="column 'text' is null at row 1"):
        embedder(pa.table({"id": [1, 2], "text": ["x", None]}))
    with pytest.raises(ValidationError, match="column 'id' is null at row 0"):
        embedder(pa.table({"id": [None, 2], "text": ["x", "y"]}))
    with pytest.raises(TypeError, match=r"unknown keyword.*base_ulr"):
        ArrowEmbedder(model=MODEL, base_ulr=router.url)
    with pytest.raises(ValidationError, match="provider/model"):
        ArrowEmbedder(model="no-slash")
    with pytest.raises(ValidationError, match="must differ from id_column"):
        ArrowEmbedder(model=MODEL, output_column="id")
    assert router.exchanges == []


def test_a_failing_batch_raises_embed_many_error_with_the_vectors_already_paid_for(
    router: EmbeddingsServer,
) -> None:
    router.answer_normally(1)
    router.answer(400, {"error": {"message": "refused"}})
    table = pa.table({"id": list(range(4)), "text": ["a", "b", "c", "d"]})
    with pytest.raises(EmbedManyError) as caught:
        _embedder(router, batch_size=2, max_concurrency=1)(table)
    assert list(caught.value.completed) == [range(0, 2)]


def test_pickling_carries_settings_not_a_pool_and_unpickling_opens_no_socket(
    router: EmbeddingsServer, tmp_path: Path
) -> None:
    embedder = _embedder(router)
    embedder(pa.table({"id": [1], "text": ["warm"]}))  # this process has its client now
    data = pickle.dumps(embedder)
    assert b"PoolManager" not in data and b"urllib3" not in data
    (tmp_path / "embedder.pickle").write_bytes(data)
    script = textwrap.dedent(
        """
        import pickle, socket, sys
        opened = []
        real = socket.socket.__init__
        def counting(self, *args, **kwargs):
            opened.append(args)
            real(self, *args, **kwargs)
        socket.socket.__init__ = counting
        import pyarrow as pa
        with open(sys.argv[1], "rb") as file:
            embedder = pickle.load(file)
        assert opened == [], opened
        again = pickle.loads(pickle.dumps(embedder))
        assert opened == [], opened
        result = again(pa.table({"id": [1, 2], "text": ["a", "b"]}))
        assert result.num_rows == 2 and opened, opened
        other = pickle.loads(pickle.dumps(embedder))
        count = len(opened)
        other(pa.table({"id": [3], "text": ["c"]}))
        assert other.client is again.client  # one client per process and settings
        print("ok", count)
        """
    )
    found = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "embedder.pickle")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("ok ")


def test_write_block_is_idempotent_and_names_files_from_their_ids(tmp_path: Path) -> None:
    table = pa.table({"id": [3, 1, 2], "embedding": [[0.5], [1.0], [1.5]]})
    first = write_block(table, tmp_path)
    again = write_block(table, tmp_path)
    assert first == again == tmp_path / block_name([3, 1, 2])
    assert [path.name for path in tmp_path.iterdir()] == [first.name]  # replaced, not added
    assert block_name([1, 2, 3]) != first.name and block_name(["3", "1", "2"]) != first.name
    assert write_block(table.slice(0, 0), tmp_path) is None
    with pytest.raises(ValidationError, match="id 1 appears more than once"):
        write_block(pa.table({"id": [1, 1], "embedding": [[0.0], [1.0]]}), tmp_path)


def test_a_block_appears_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pa.table({"id": [1, 2], "embedding": [[0.5], [1.0]]})
    final = tmp_path / block_name([1, 2])
    real_write = pq.write_table

    def half_then_crash(data: pa.Table, where: Any, **kwargs: Any) -> None:
        real_write(data, where, **kwargs)
        assert not final.exists()  # written under another name first
        Path(where).write_bytes(Path(where).read_bytes()[:50])  # a torn write...
        raise OSError("disk full")  # ...and a crash

    monkeypatch.setattr(pq, "write_table", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        write_block(table, tmp_path)
    assert list(tmp_path.iterdir()) == []  # no part file, no temporary left
    assert done_ids(tmp_path) == set()


def test_done_ids_reads_each_new_part_file_once_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = DoneIds(tmp_path / "out")
    assert done.refresh() == set()  # no directory yet: nothing done
    write_block(pa.table({"id": [1, 2], "embedding": [[0.5], [1.0]]}), tmp_path / "out")
    (tmp_path / "out" / ".part-x.parquet.123-abc.tmp").write_bytes(b"half a file")
    (tmp_path / "out" / "notes.txt").write_text("not a part file")
    read: list[str] = []
    real_ids_of = bulk._ids_of

    def counting(path: Path, id_column: str) -> pa.ChunkedArray:
        read.append(path.name)
        return real_ids_of(path, id_column)

    monkeypatch.setattr(bulk, "_ids_of", counting)
    assert done.refresh() == {1, 2}
    assert read == [block_name([1, 2])]  # the temporary and the stranger are not read
    assert done.refresh() == {1, 2} and len(read) == 1  # a file seen is not read again
    mine = write_block(pa.table({"id": [5], "embedding": [[0.1]]}), tmp_path / "out")
    assert mine is not None
    done.record(mine, [5])  # written by this process: known without reading it back
    write_block(pa.table({"id": ["a", "b"], "embedding": [[0.1], [0.2]]}), tmp_path / "out")
    assert done.refresh() == {1, 2, 5, "a", "b"}
    assert read == [block_name([1, 2]), block_name(["a", "b"])]
    assert done_ids(tmp_path / "out") == {1, 2, 5, "a", "b"}  # the same as a fresh read


def test_done_ids_skips_a_part_file_replaced_between_listing_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_block(pa.table({"id": [1], "embedding": [[0.5]]}), tmp_path)
    done = DoneIds(tmp_path)
    real_ids_of = bulk._ids_of
    calls: list[Path] = []

    def gone_once(path: Path, id_column: str) -> pa.ChunkedArray:
        calls.append(path)
        if len(calls) == 1:
            raise FileNotFoundError(path)
        return real_ids_of(path, id_column)

    monkeypatch.setattr(bulk, "_ids_of", gone_once)
    assert done.refresh() == set()
    assert done.refresh() == {1}  # not marked seen: read once it is there


def test_verify_reports_duplicates_gaps_strangers_and_bad_vectors(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "out")
    assert sink.done_ids() == set() and not sink.files()
    sink.write(pa.table({"id": [1, 2, 3], "embedding": [[0.1, 0.2]] * 3}))
    assert sink.verify([1, 2, 3]).ok
    assert str(sink.verify([1, 2, 3])) == "ok: 3 ids, each exactly once, in 1 files"
    sink.write(pa.table({"id": [3, 4, 99], "embedding": [[0.1, 0.2], None, [0.3]]}))
    found = sink.verify([1, 2, 3, 4, 5, 6])
    assert not found.ok
    assert found.duplicates == {3: 2}
    assert found.missing == [5, 6]
    assert found.unexpected == [99]
    assert found.bad_vectors == 2  # the null and the one-wide vector
    assert "1 ids more than once (3 x2)" in str(found) and "2 ids missing (5, 6)" in str(found)
    assert sink.done_ids() == {1, 2, 3, 4, 99}
    assert verify(tmp_path / "absent", [1]).missing == [1]


def test_a_sink_made_relative_writes_to_the_same_absolute_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sink = ParquetSink("vectors")
    assert sink.directory == tmp_path / "vectors"
    monkeypatch.chdir(ROOT)
    restored = pickle.loads(pickle.dumps(sink))
    restored.write(pa.table({"id": ["a"], "embedding": [[1.0]]}))
    assert done_ids(tmp_path / "vectors") == {"a"}
    assert restored.read().num_rows == 1
