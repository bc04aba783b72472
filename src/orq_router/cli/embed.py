"""`orq-router embed`: embed a file of inputs through any router, resumably.

    orq-router embed --model M INPUT [-o OUTPUT] [--field NAME | --column NAME]
                     [--id-column NAME] [--batch-size N] [--base-url URL] [--resume]
                     [--rows-per-file N] [--engine local|ray [--address ADDR] [--actors N]]

The file is checked whole before anything is sent (a bad line costs nothing), then
streamed through `embed_many_iter`: memory stays bounded however large the file.
Rows go to OUTPUT in input order (see `_outputs` for the formats and the progress
file); without `-o`, JSONL goes to standard output. An OUTPUT that names a directory
gets Parquet files keyed by id instead (`_dataset`), resumed by id; `--engine ray` runs
that job on Ray Data (`orq_router.ray`), on a local Ray or a cluster (`--address`).

Money is spent per token, so nothing finished is embedded twice: after Ctrl-C or a
batch that fails for good, the output keeps every finished row (batches that finished
ahead of a missing one wait in the progress file), and `--resume` sends only what is
missing. A batch is written, and the progress file updated, with Ctrl-C held back for
that moment, so the two always agree.

Exit codes: 0 done (or nothing left to do); 1 a failure (a bad input file, no key, the
router down, a batch that failed for good), one line on standard error; 2 a bad command
line (an unknown flag, named, with the closest known one; a missing --model); 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from types import FrameType
from typing import Any, Final

from orq_router.cli._inputs import BadInput, InputFile
from orq_router.cli._outputs import PROGRESS_SUFFIX, Complete, OutputError, Writer, output_kind

__all__ = ["register", "run"]

PROGRAM: Final = "orq-router embed"
INTERRUPTED: Final = 130
ROWS_PER_FILE: Final = 1024
"""`--rows-per-file`'s default here: this process writes a file between two batches, and a
small one is written before the requests in flight are back, so sending never stalls."""
RAY_ROWS_PER_FILE: Final = 8192
"""`--rows-per-file`'s default with `--engine ray`: `embed_dataset`'s block size (each
block costs Ray Data a task, whatever its size; see `orq_router.ray`)."""


def register(commands: Any) -> None:
    command: argparse.ArgumentParser = commands.add_parser(
        "embed",
        help="embed a file of inputs (text, JSONL or CSV) into .npy or .jsonl, resumably",
        description="Embed every input of a file through the router, in batches sent"
        " concurrently. The API key comes from $ORQ_API_KEY (none is needed for a"
        " router on loopback).",
    )
    command.add_argument(
        "input",
        metavar="INPUT",
        help="a text file (one input a line), a JSONL file (with --field), a CSV file"
        " (with --column), a Parquet file or directory (--column names the text column,"
        " default 'text'), or - for standard input",
    )
    # Not `required=True`: argparse checks that before it looks at unknown flags, so a
    # mistyped `--modle` would be reported as a missing --model. `run` checks it.
    command.add_argument("--model", help="the model id, provider/model (required)")
    command.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="a .npy file (float32 rows in input order), a .jsonl file"
        ' ({"index": i, "embedding": [...]} a line), or a directory (out/ or out.parquet)'
        " of Parquet files keyed by id; default: JSONL on standard output",
    )
    source = command.add_mutually_exclusive_group()
    source.add_argument("--field", metavar="NAME", help="INPUT is JSONL; embed this field")
    source.add_argument(
        "--column", metavar="NAME", help="INPUT is CSV (or Parquet); embed this column"
    )
    command.add_argument(
        "--id-column",
        metavar="NAME",
        help="the field or column holding each input's id, for a Parquet OUTPUT directory"
        " (default: the input's position)",
    )
    command.add_argument(
        "--batch-size",
        metavar="N",
        type=_positive,
        default=128,
        help="inputs per request (default 128)",
    )
    command.add_argument(
        "--base-url",
        metavar="URL",
        help="the router (default $ORQ_BASE_URL, else https://api.orq.ai)",
    )
    command.add_argument(
        "--resume",
        action="store_true",
        help=f"continue an interrupted run into the same OUTPUT (it left OUTPUT{PROGRESS_SUFFIX},"
        " or a Parquet directory that lacks some ids), embedding only the inputs not done yet",
    )
    command.add_argument(
        "--rows-per-file",
        metavar="N",
        type=_positive,
        default=None,
        help=f"rows per Parquet file of a directory OUTPUT (default {ROWS_PER_FILE}, with"
        f" --engine ray {RAY_ROWS_PER_FILE}): at most what a killed run loses",
    )
    command.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local (default): this process; ray: Ray Data actors (the ray extra), Parquet"
        " in and a directory out, with --id-column",
    )
    command.add_argument(
        "--address",
        metavar="ADDRESS",
        help="with --engine ray: the Ray cluster to join (default: start a local Ray)",
    )
    command.add_argument(
        "--actors",
        metavar="N",
        type=_positive,
        default=2,
        help="with --engine ray: embedding actors (default 2)",
    )
    command.set_defaults(run=run, parser=command)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    """The subcommand: embed, then one line on standard error; the exit code."""
    from orq_router import OrqError

    if args.model is None:
        args.parser.error("--model is required (the model id, provider/model)")
    if args.address is not None and args.engine != "ray":
        args.parser.error("--address needs --engine ray")
    if args.rows_per_file is None:
        args.rows_per_file = RAY_ROWS_PER_FILE if args.engine == "ray" else ROWS_PER_FILE
    try:
        if args.engine == "ray":
            return _embed_ray(args)
        return _embed(args)
    except Complete as done:
        _say(str(done))
        return 0
    except (BadInput, OutputError, OrqError, OSError, ImportError) as error:
        _say(f"error: {_one_line(error)}")
        return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return INTERRUPTED


def _embed(args: argparse.Namespace) -> int:
    from orq_router import EmbedManyError, EmbedManyInterrupted
    from orq_router.options import check_model_id

    check_model_id(args.model, "--model")
    kind = output_kind(args.output) if args.output else "jsonl"
    if args.id_column is not None and kind != "parquet":
        raise OutputError("--id-column is for a Parquet OUTPUT directory (-o out/)")
    inputs = InputFile.open(
        args.input, field=args.field, column=args.column, id_name=args.id_column
    )
    try:
        scan = inputs.scan()
        client = _client(args)
        if kind == "parquet":
            return _embed_to_directory(args, client, inputs, scan)
        job = {"model": args.model, "rows": scan.rows, "sha256": scan.sha256}
        writer = Writer.open(args.output, job, resume=args.resume)
        missing = writer.missing()
        to_embed = sum(len(span) for span in missing)
        bar = _progress_bar(scan.rows, scan.rows - to_embed)
        reader = enumerate(inputs.read())
        with _Interrupts() as interrupts, client:
            for span in missing:
                stream = client.router.embeddings.embed_many_iter(
                    _between(reader, span), model=args.model, batch_size=args.batch_size
                )
                try:
                    try:
                        for batch in stream:
                            with interrupts.held():
                                writer.add(span.start + batch.start, batch)
                            if bar is not None:
                                bar.update(len(batch))
                    except KeyboardInterrupt as interrupt:
                        if isinstance(interrupt, EmbedManyInterrupted):
                            raise
                        # Ctrl-C between two batches: the stream keeps what it holds.
                        stream.throw(interrupt)
                except (EmbedManyError, EmbedManyInterrupted) as stop:
                    with interrupts.held():
                        for batch in stop.pending:
                            writer.add(span.start + batch.start, batch)
                        writer.close()
                    if bar is not None:
                        bar.close()
                    return _stopped(stop, writer, args)
        complete = writer.close()
        if bar is not None:
            bar.close()
    finally:
        inputs.close()
    assert complete
    _done(to_embed, scan.rows - to_embed, args)
    return 0


def _done(embedded: int, before: int, args: argparse.Namespace) -> None:
    """The success line: the inputs this run embedded (not those of an earlier run)."""
    where = f" -> {args.output}" if args.output else ""
    earlier = f" ({before} were done already)" if before else ""
    _say(f"{embedded} inputs embedded with {args.model}{where}{earlier}")


def _client(args: argparse.Namespace) -> Any:
    from orq_router import ConfigError, Orq

    try:
        return Orq(base_url=args.base_url)
    except ConfigError as error:
        if os.environ.get("ORQ_API_KEY"):
            raise
        raise ConfigError(
            "no API key: set ORQ_API_KEY (a router on loopback needs none)"
        ) from error


def _embed_to_directory(args: argparse.Namespace, client: Any, inputs: InputFile, scan: Any) -> int:
    """INPUT into a directory of id-keyed Parquet files (`_dataset`), this process."""
    from orq_router import EmbedManyInterrupted
    from orq_router.cli import _dataset

    with _Interrupts() as interrupts, client:
        try:
            job = _dataset.run(
                client,
                inputs,
                scan,
                args.output,
                model=args.model,
                resume=args.resume,
                batch_size=args.batch_size,
                rows_per_file=args.rows_per_file,
                interrupts=interrupts,
            )
        except _dataset.DatasetStopped as stopped:
            job = stopped.job
            kept = len(job.done) + job.written
            again = (
                f"{job.written} inputs embedded and written this run, {kept} of {scan.rows}"
                f" in {args.output}; run again with --resume"
            )
            if isinstance(stopped.stop, EmbedManyInterrupted):
                _say(f"interrupted; {again}")
                return INTERRUPTED
            failure = stopped.stop.failures[0]  # type: ignore[attr-defined]
            _say(f"error: {_one_line(failure.error)}; {again}")
            return 1
    _done(job.written, job.skipped, args)
    return 0


def _embed_ray(args: argparse.Namespace) -> int:
    """`--engine ray`: the Parquet job on Ray Data (`orq_router.ray.embed_dataset`)."""
    from orq_router.cli._dataset import check_output
    from orq_router.cli._inputs import is_parquet
    from orq_router.options import check_model_id

    check_model_id(args.model, "--model")
    if args.input == "-" or not is_parquet(args.input):
        raise OutputError("--engine ray reads a Parquet file or directory")
    if not args.output or output_kind(args.output) != "parquet":
        raise OutputError("--engine ray writes a directory of Parquet files (-o out/)")
    if args.id_column is None:
        raise OutputError("--engine ray needs --id-column (rows are keyed by id)")
    if args.field is not None:
        raise OutputError("a Parquet input takes --column, not --field")
    if not os.path.exists(args.input):
        raise BadInput(f"{args.input}: no such file")
    check_output(
        args.output,
        model=args.model,
        resume=args.resume,
        fingerprint=None,
        id_column=args.id_column,
    )
    _client(args).close()  # the settings checked here, before Ray starts
    from orq_router.cli import _ray

    result = _ray.run(args)
    _done(result.embedded, result.skipped, args)
    return 0


def _between(reader: Iterator[tuple[int, str | list[int]]], span: range) -> Iterator[Any]:
    """The inputs at positions `span` of a forward-only reader (earlier ones skipped)."""
    for position, value in reader:
        if position >= span.start:
            yield value
            break
    yield from (value for _, value in islice(reader, len(span) - 1))


def _stopped(stop: BaseException, writer: Writer, args: argparse.Namespace) -> int:
    """One line for a run stopped by a failed batch or Ctrl-C; the exit code."""
    from orq_router import EmbedManyInterrupted

    progress = writer.progress
    kept = progress.rows_done + sum(end - start for start, (end, _) in progress.pending.items())
    if writer.discard_if_empty():
        again = "nothing was embedded"
    elif args.output:
        again = f"{kept} of {writer.rows} inputs kept in {args.output}; run again with --resume"
    else:
        again = f"{kept} of {writer.rows} inputs written"
    if isinstance(stop, EmbedManyInterrupted):
        _say(f"interrupted; {again}")
        return INTERRUPTED
    failure = stop.failures[0]  # type: ignore[attr-defined]
    where = f"inputs {failure.start}..{failure.stop - 1}"
    _say(f"error: {where}: {_one_line(failure.error)}; {again}")
    return 1


def _one_line(error: BaseException) -> str:
    """An error as one short line: the connection errors' long urllib3 chains cut."""
    from orq_router import APIConnectionError, APITimeoutError

    if isinstance(error, APITimeoutError):
        return f"no answer from {error.url} in time"
    if isinstance(error, APIConnectionError):
        return f"cannot reach {error.url} (is the router running?)"
    text = " ".join(str(error).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _say(message: str) -> None:
    print(f"{PROGRAM}: {message}", file=sys.stderr)


def _progress_bar(total: int, done: int) -> Any:
    """A tqdm bar on standard error when it is a terminal (and tqdm is installed)."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=done, unit="input", desc="embedding", file=sys.stderr)


class _Interrupts:
    """Ctrl-C as usual, except while a batch is written: then it waits for the write.

    So the output and its progress file always agree. Only the main thread can set a
    signal handler; elsewhere (a test's thread, say) nothing is held back.
    """

    def __init__(self) -> None:
        self._holding = False
        self._received = False
        self._previous: Any = None

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._holding:
            self._received = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def held(self) -> Iterator[None]:
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        if self._received:
            self._received = False
            raise KeyboardInterrupt
