"""`orq_router._ray_read`: local Parquet read with the footers read in the listing task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from orq_router._ray_read import InlineFooterIndexer, inline_local_footers


def _listing_indexers(ds: Any) -> list[Any]:
    return [
        op.file_indexer
        for op in ds._logical_plan.dag.post_order_iter()
        if type(op).__name__ == "ListFiles"
    ]


def _parquet(folder: Path) -> Path:
    folder.mkdir()
    for part in range(3):
        ids = list(range(part * 1000, part * 1000 + 1000))
        table = pa.table({"id": ids, "text": [f"text {i}" for i in ids], "n": ids})
        pq.write_table(table, folder / f"part-{part}.parquet", row_group_size=300)
    return folder


def test_the_rewritten_read_gives_the_same_rows_and_leaves_the_dataset_alone(
    ray_cluster: Any, tmp_path: Path
) -> None:
    source = _parquet(tmp_path / "docs")
    ds = ray_cluster.data.read_parquet(str(source))
    inline = inline_local_footers(ds)
    assert inline is not ds
    assert [type(indexer) for indexer in _listing_indexers(inline)] == [InlineFooterIndexer]
    assert not any(isinstance(i, InlineFooterIndexer) for i in _listing_indexers(ds))
    # Projected as `embed_dataset` projects it (`columns=` on the read is deprecated).
    expected = sorted(row["id"] for row in ds.select_columns(["id", "text"]).take_all())
    projected = inline.select_columns(["id", "text"])
    assert sorted(row["id"] for row in projected.take_all()) == expected == list(range(3000))
    assert projected.columns() == ["id", "text"]


def test_pushed_down_limits_and_filters_still_apply(ray_cluster: Any, tmp_path: Path) -> None:
    source = _parquet(tmp_path / "docs")
    ds = inline_local_footers(ray_cluster.data.read_parquet(str(source)))
    assert ds.limit(7).count() == 7
    kept = ds.filter(expr=ray_cluster.data.expressions.col("n") >= 2500).take_all()
    assert sorted(row["id"] for row in kept) == list(range(2500, 3000))


def test_datasets_that_are_not_a_local_parquet_read_are_returned_as_they_are(
    ray_cluster: Any,
) -> None:
    ds = ray_cluster.data.from_arrow(pa.table({"id": [1, 2], "text": ["a", "b"]}))
    assert inline_local_footers(ds) is ds
