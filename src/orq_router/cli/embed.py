"""`orq-router embed`: embed a file of inputs through any router, resumably.

    orq-router embed --model M INPUT [-o OUTPUT] [--field NAME | --column NAME]
                     [--batch-size N] [--base-url URL] [--resume]

The file is checked whole before anything is sent (a bad line costs nothing), then
streamed through `embed_many_iter`: memory stays bounded however large the file.
Rows go to OUTPUT in input order (see `_outputs` for the formats and the progress
file); without `-o`, JSONL goes to standard output.

Money is spent per token, so nothing finished is embedded twice: after Ctrl-C or a
batch that fails for good, the output keeps every finished row (batches that finished
ahead of a missing one wait in the progress file), and `--resume` sends only what is
missing. A batch is written, and the progress file updated, with Ctrl-C held back for
that moment, so the two always agree.

Errors are one line on standard error and a non-zero exit: 1 for a failure, 130 for
Ctrl-C (2 for a bad command line, from argparse).
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
from orq_router.cli._outputs import PROGRESS_SUFFIX, Complete, OutputError, Writer

__all__ = ["register", "run"]

PROGRAM: Final = "orq-router embed"
INTERRUPTED: Final = 130


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
        " (with --column), or - for standard input",
    )
    command.add_argument("--model", required=True, help="the model id, provider/model")
    command.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="a .npy file (float32 rows in input order) or a .jsonl file"
        ' ({"index": i, "embedding": [...]} a line); default: JSONL on standard output',
    )
    source = command.add_mutually_exclusive_group()
    source.add_argument("--field", metavar="NAME", help="INPUT is JSONL; embed this field")
    source.add_argument("--column", metavar="NAME", help="INPUT is CSV; embed this column")
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
        help=f"continue an interrupted run into the same OUTPUT (it left OUTPUT{PROGRESS_SUFFIX})"
        ", embedding only the inputs not done yet",
    )
    command.set_defaults(run=run)


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

    try:
        return _embed(args)
    except Complete as done:
        _say(str(done))
        return 0
    except (BadInput, OutputError, OrqError, OSError) as error:
        _say(f"error: {_one_line(error)}")
        return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return INTERRUPTED


def _embed(args: argparse.Namespace) -> int:
    from orq_router import ConfigError, EmbedManyError, EmbedManyInterrupted, Orq
    from orq_router.options import check_model_id

    check_model_id(args.model, "--model")
    inputs = InputFile.open(args.input, field=args.field, column=args.column)
    try:
        scan = inputs.scan()
        try:
            client = Orq(base_url=args.base_url)
        except ConfigError as error:
            if os.environ.get("ORQ_API_KEY"):
                raise
            raise ConfigError(
                "no API key: set ORQ_API_KEY (a router on loopback needs none)"
            ) from error
        job = {"model": args.model, "rows": scan.rows, "sha256": scan.sha256}
        writer = Writer.open(args.output, job, resume=args.resume)
        missing = writer.missing()
        bar = _progress_bar(scan.rows, scan.rows - sum(len(span) for span in missing))
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
    where = f" -> {args.output}" if args.output else ""
    _say(f"{scan.rows} inputs embedded with {args.model}{where}")
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
