"""`orq-router embed --engine ray`: the Parquet job on Ray Data, local or on a cluster.

Without `--address` a local Ray is started for the run and stopped after it, bound to
loopback (Ray's single-machine mode) and without usage reporting; with `--address` the
command joins that cluster as a driver and leaves it running. Either way the rows go
through `orq_router.ray.embed_dataset`, so a rerun after any crash embeds only the ids
the output lacks.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orq_router.ray import DatasetEmbedded

__all__ = ["run"]

LOCAL_CPUS = 2
"""CPUs a local Ray offers: the actors need fractions of one; the read needs one."""


def _start(address: str | None) -> None:
    if address is None:
        # Set before Ray is imported: it reads them once. A local Ray for one command
        # binds to 127.0.0.1 and reports nothing anywhere.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        # Ray starts workers at nice 15: on a busy machine they would wait behind
        # everything else, while this command's own process runs at 0.
        os.environ.setdefault("RAY_worker_niceness", "0")
    try:
        import ray
    except ImportError:
        raise ImportError(
            "--engine ray needs the ray extra: pip install 'orq-router[ray]'"
        ) from None
    if address is None:
        ray.init(num_cpus=LOCAL_CPUS, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)


def run(args: argparse.Namespace) -> DatasetEmbedded:
    """Start (or join) Ray, embed the Parquet input into the output directory, stop."""
    _start(args.address)
    import ray
    import ray.data

    from orq_router.ray import embed_dataset

    try:
        source = str(Path(args.input).absolute())
        columns = [args.id_column, args.column or "text"]
        ds = ray.data.read_parquet(source, columns=columns)
        settings: dict[str, Any] = {}
        if args.base_url:
            settings["base_url"] = args.base_url
        if os.environ.get("ORQ_API_KEY"):
            # The workers of a running cluster do not have this shell's environment:
            # the key travels with the job's settings.
            settings["api_key"] = os.environ["ORQ_API_KEY"]
        return embed_dataset(
            ds,
            model=args.model,
            output=Path(args.output).absolute(),
            text_column=args.column or "text",
            id_column=args.id_column,
            batch_size=args.batch_size,
            block_size=args.rows_per_file,
            concurrency=args.actors,
            **settings,
        )
    finally:
        ray.shutdown()
