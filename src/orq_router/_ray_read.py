"""Reading local Parquet on Ray Data without a footer-reader actor pool.

Ray Data 2.60's `read_parquet` lists files in a `ListFiles` task that starts a pool
of `FooterReaderActor`s (32 by default, `RAY_DATA_PARQUET_FOOTER_NUM_ACTORS`) to read
the files' footers, and kills them when the listing is done. The pool is there to
spread footer reads of object stores across a cluster. For files on a local (or
mounted) disk, a footer read costs microseconds, while every one of those actors is
a new worker process that imports `ray.data` (over a second of CPU each, and the
listing waits for the first one): on a 2-core machine that start-up was most of a
30,000-row `embed_dataset` run (ListFiles took 6.8 s of 8.3 s; 3.5 s with one actor).

`inline_local_footers(ds)` returns the same dataset with its local-disk `ListFiles`
reading footers in the listing task itself, with Ray's own `FooterReader` (the class
the actors run), so the listing rows, their row-group statistics and the pushed-down
predicate, projection and limit are exactly Ray's. Other filesystems, and datasets
that are not a V2 Parquet read, are left as they are.

Ray Data internals are used here (the pinned `ray[data]==2.60.0`); anything not found
as expected leaves the dataset unchanged, so a Ray upgrade costs speed, not rows.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Iterable, Iterator
from typing import Any, Final

logger = logging.getLogger(__name__)

LOCAL_IO_THREADS: Final = 8
"""Threads reading local footers (and Arrow's IO pool size, which `FooterReader` sets
for the process): Arrow's own default, not the actors' 128 meant for object stores."""

try:
    import pyarrow.fs as pafs
    from ray.data._internal.datasource_v2.formats.parquet.footer_file_indexer import (
        FooterFileIndexer,
        _file_chunks_to_manifest,
    )
    from ray.data._internal.datasource_v2.formats.parquet.footer_reader import FooterReader
    from ray.data._internal.logical.interfaces import LogicalPlan
    from ray.data._internal.logical.operators import ListFiles
    from ray.data.dataset import Dataset
except ImportError:  # pragma: no cover - another Ray release: nothing is rewritten
    FooterFileIndexer = None


def _local(filesystem: Any) -> bool:
    """Whether `filesystem` reads this machine's disk (through Ray's wrappers, if any)."""
    seen = 0
    while filesystem is not None and seen < 4:
        if isinstance(filesystem, pafs.LocalFileSystem):
            return True
        handler = getattr(filesystem, "handler", None)  # pyarrow.fs.PyFileSystem
        inner = getattr(handler, "fs", None) or getattr(filesystem, "_fs", None)
        filesystem, seen = inner, seen + 1
    return False


if FooterFileIndexer is not None:

    class InlineFooterIndexer(FooterFileIndexer):  # type: ignore[misc]
        """`FooterFileIndexer` reading local footers in the listing task: no actors."""

        def list_files(
            self,
            paths: Any,
            *,
            filesystem: Any,
            pruners: Any = None,
            preserve_order: bool = False,
            predicate: Any = None,
            limit: int | None = None,
            projected_columns: list[str] | None = None,
            shuffle_config: Any = None,
            execution_idx: int = 0,
            excluded_read_unit_ids: Any = None,
        ) -> Iterator[Any]:
            file_infos = self._iter_file_infos_for_list(
                paths,
                filesystem=filesystem,
                pruners=pruners,
                preserve_order=preserve_order,
                shuffle_config=shuffle_config,
                execution_idx=execution_idx,
                excluded_read_unit_ids=excluded_read_unit_ids,
            )
            reader = FooterReader(
                filesystem,
                LOCAL_IO_THREADS,
                predicate,
                projected_columns,
                self._coalesce_bytes,
                excluded_read_unit_ids=excluded_read_unit_ids,
            )
            try:
                yield from self._read_inline(reader, file_infos, limit, preserve_order)
            finally:
                reader.pool.shutdown(wait=False, cancel_futures=True)

        def _read_inline(
            self, reader: Any, file_infos: Iterable[Any], limit: int | None, preserve_order: bool
        ) -> Iterator[Any]:
            """`FooterFileIndexer._read_footers`, with the reader called in place."""
            delivered = 0  # rows known to survive the predicate whole, as Ray counts
            for batch in self._batches(file_infos):
                for chunks in reader.read_footers(
                    batch, result_batch_size=self._result_batch_size, preserve_order=preserve_order
                ):
                    for file_chunks in chunks:
                        yield _file_chunks_to_manifest(file_chunks)
                        if limit is not None:
                            delivered += sum(
                                group.num_rows
                                for group in file_chunks.row_groups
                                if group.fully_matched
                            )
                    if limit is not None and delivered >= limit:
                        return

    def _inline(op: Any) -> Any:
        if (
            isinstance(op, ListFiles)
            and type(op.file_indexer) is FooterFileIndexer
            and _local(op.filesystem)
        ):
            indexer = copy.copy(op.file_indexer)
            indexer.__class__ = InlineFooterIndexer
            return dataclasses.replace(op, file_indexer=indexer)
        return op


def inline_local_footers(ds: Any) -> Any:
    """`ds`, its local Parquet footers read by its listing task instead of an actor
    pool; `ds` itself if there is nothing to change (it is never modified)."""
    if FooterFileIndexer is None:
        return ds
    try:
        plan = ds._logical_plan
        dag = plan.dag._apply_transform(_inline)
        if dag is plan.dag:
            return ds
        return Dataset._from_parent(ds, LogicalPlan(dag, ds.context))
    except Exception as error:  # pragma: no cover - Ray internals moved: read as Ray does
        logger.debug("reading the dataset as Ray plans it: %r", error)
        return ds
