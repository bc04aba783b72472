"""`orq-router embed` on Parquet: a table in, a directory of id-keyed files out, resumed by id."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orq_router.bulk import done_ids, part_files, verify
from orq_router.cli import main
from tests.corpora.conftest import MODEL, sent_inputs
from tests.router_server import EmbeddingsServer, vectors


def _corpus(path: Path, count: int, *, ids: str = "int") -> dict[object, str]:
    """A Parquet file of `count` rows (ids shuffled, so they are not positions)."""
    keys: list[object] = list(range(1000, 1000 + count))
    random.Random(13).shuffle(keys)
    if ids == "str":
        keys = [f"doc-{key}" for key in keys]
    texts = {key: f"document {key}: {'y' * (index % 5)}" for index, key in enumerate(keys)}
    table = pa.table({"id": list(texts), "text": list(texts.values()), "other": [1] * count})
    pq.write_table(table, path, row_group_size=97)
    return texts


def embed(*args: str | Path, model: str = MODEL) -> int:
    return main(["embed", "--model", model, *map(str, args)])


def _vectors_by_id(directory: Path) -> dict[object, list[float]]:
    table = pq.read_table(directory)
    return dict(
        zip(table.column("id").to_pylist(), table.column("embedding").to_pylist(), strict=True)
    )


@pytest.mark.parametrize("ids", ["int", "str"])
def test_a_parquet_table_becomes_a_directory_of_vectors_keyed_by_id(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: str
) -> None:
    texts = _corpus(tmp_path / "docs.parquet", 2500, ids=ids)
    out = tmp_path / "out"
    code = embed(tmp_path / "docs.parquet", "--column", "text", "--id-column", "id", "-o", f"{out}/", "--rows-per-file", "1000", "--base-url", router.url)  # fmt: skip
    assert code == 0
    assert (
        capsys.readouterr().err
        == f"orq-router embed: 2500 inputs embedded with {MODEL} -> {out}/\n"
    )
    assert len(part_files(out)) == 3  # 1000 + 1000 + 500 rows
    assert verify(out, texts).ok
    schema = pq.read_schema(part_files(out)[0])
    assert schema.field("embedding").type == pa.list_(pa.float32(), 256)
    assert schema.field("id").type == (pa.int64() if ids == "int" else pa.string())
    found = _vectors_by_id(out)
    expected = vectors(list(texts.values()), MODEL)
    for key, vector in zip(texts, expected, strict=True):
        assert found[key] == pytest.approx(vector, abs=1e-6)
    assert sorted(sent_inputs(router)) == sorted(texts.values())  # each sent once


def test_resume_by_id_sends_only_the_ids_the_directory_lacks(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _corpus(tmp_path / "docs.parquet", 1000)
    out = tmp_path / "out"
    args: list[str | Path] = [tmp_path / "docs.parquet", "--id-column", "id", "-o", out, "--batch-size", "50", "--rows-per-file", "200", "--base-url", router.url]  # fmt: skip
    router.answer_normally(7)
    router.answer(400, {"error": {"message": "refused", "code": "bad_batch"}})
    assert embed(*args) == 1
    err = capsys.readouterr().err
    assert err.startswith("orq-router embed: error: ") and "refused" in err
    assert "run again with --resume" in err and err.count("\n") == 1
    first = [
        text for text in sent_inputs(router) if text not in router.exchanges[7].json()["input"]
    ]
    done = done_ids(out)
    assert len(done) == len(first) >= 350  # every batch that finished was written
    assert verify(out, done).ok

    assert embed(*args) == 1  # not without --resume
    assert "holds vectors already: pass --resume" in capsys.readouterr().err
    assert embed(*args, "--resume", model="openai/text-embedding-3-large") == 1
    assert "was made with model='openai/text-embedding-3-small'" in capsys.readouterr().err

    router.reset()
    assert embed(*args, "--resume") == 0
    second = sent_inputs(router)
    assert sorted(first + second) == sorted(texts.values())  # every row paid for once
    assert capsys.readouterr().err.endswith(f"{len(second)} inputs embedded with {MODEL} -> {out} ({len(done)} were done already)\n")  # fmt: skip
    assert verify(out, texts).ok
    router.reset()
    assert embed(*args, "--resume") == 0
    assert "holds every input already: nothing to do" in capsys.readouterr().err
    assert router.exchanges == []


def test_parquet_in_npy_out_gives_the_rows_a_text_file_gives(
    router: EmbeddingsServer, tmp_path: Path
) -> None:
    texts = _corpus(tmp_path / "docs.parquet", 300)
    (tmp_path / "docs.txt").write_text("".join(f"{text}\n" for text in texts.values()))
    assert embed(tmp_path / "docs.parquet", "-o", tmp_path / "a.npy", "--base-url", router.url) == 0
    assert embed(tmp_path / "docs.txt", "-o", tmp_path / "b.npy", "--base-url", router.url) == 0
    assert (tmp_path / "a.npy").read_bytes() == (tmp_path / "b.npy").read_bytes()


def test_text_and_csv_inputs_write_a_directory_keyed_by_position_or_id_column(
    router: EmbeddingsServer, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_text("zero\none\ntwo\n")
    assert (
        embed(tmp_path / "in.txt", "-o", tmp_path / "lines.parquet", "--base-url", router.url) == 0
    )
    assert sorted(_vectors_by_id(tmp_path / "lines.parquet"), key=str) == [0, 1, 2]
    (tmp_path / "in.csv").write_text("key,body\nk1,alpha\nk2,beta\n")
    code = embed(tmp_path / "in.csv", "--column", "body", "--id-column", "key", "-o", tmp_path / "csv", "--base-url", router.url)  # fmt: skip
    assert code == 0
    table = pq.read_table(tmp_path / "csv")
    assert sorted(table.column("key").to_pylist()) == ["k1", "k2"]
    # Position ids bind a directory to its input file: other lines are refused on resume.
    (tmp_path / "in.txt").write_text("zero\nONE\ntwo\nthree\n")
    assert (
        embed(
            tmp_path / "in.txt",
            "-o",
            tmp_path / "lines.parquet",
            "--base-url",
            router.url,
            "--resume",
        )
        == 1
    )


@pytest.mark.parametrize(
    ("table", "flags", "message"),
    [
        (pa.table({"id": [1, 2], "body": ["a", "b"]}), ["--id-column", "id"], "no column 'text' (columns: id, body)"),
        (pa.table({"id": [1, 2], "text": ["a", None]}), ["--id-column", "id"], "row 1: 'text' is null"),
        (pa.table({"id": [1, 2], "text": ["a", ""]}), ["--id-column", "id"], "row 1: 'text' is empty"),
        (pa.table({"id": [1, None], "text": ["a", "b"]}), ["--id-column", "id"], "row 1: the id 'id' is null"),
        (pa.table({"id": [7, 7], "text": ["a", "b"]}), ["--id-column", "id"], "id 7 appears twice (inputs 0 and 1)"),
        (pa.table({"id": [1, 2], "text": ["a", "b"]}), ["--id-column", "key"], "no column 'key' (columns: id, text)"),
    ],
)  # fmt: skip
def test_a_bad_parquet_input_is_refused_before_anything_is_sent(
    router: EmbeddingsServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: pa.Table,
    flags: list[str],
    message: str,
) -> None:
    pq.write_table(table, tmp_path / "bad.parquet")
    assert (
        embed(tmp_path / "bad.parquet", *flags, "-o", tmp_path / "out", "--base-url", router.url)
        == 1
    )
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert router.exchanges == []
    assert not part_files(tmp_path / "out")


def test_flags_that_do_not_fit_the_output_are_refused(
    router: EmbeddingsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corpus(tmp_path / "docs.parquet", 3)
    assert (
        embed(
            tmp_path / "docs.parquet",
            "--id-column",
            "id",
            "-o",
            tmp_path / "o.npy",
            "--base-url",
            router.url,
        )
        == 1
    )
    assert "--id-column is for a Parquet OUTPUT directory" in capsys.readouterr().err
    (tmp_path / "in.txt").write_text("a\n")
    assert (
        embed(
            tmp_path / "in.txt", "--id-column", "id", "-o", tmp_path / "o", "--base-url", router.url
        )
        == 1
    )
    assert "--id-column needs a JSONL" in capsys.readouterr().err
    assert (
        embed(
            tmp_path / "in.txt", "--engine", "ray", "-o", tmp_path / "o", "--base-url", router.url
        )
        == 1
    )
    assert "--engine ray reads a Parquet file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        embed(tmp_path / "in.txt", "--address", "127.0.0.1:1", "-o", tmp_path / "o")
    assert exit_.value.code == 2
    assert router.exchanges == []


def test_the_npy_from_a_parquet_directory_input_reads_files_in_name_order(
    router: EmbeddingsServer, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    pq.write_table(pa.table({"text": ["b1", "b2"]}), folder / "b.parquet")
    pq.write_table(pa.table({"text": ["a1"]}), folder / "a.parquet")
    assert embed(folder, "-o", tmp_path / "out.npy", "--base-url", router.url) == 0
    assert sent_inputs(router) == ["a1", "b1", "b2"]
    assert np.load(tmp_path / "out.npy").shape == (3, 256)
