"""One structured line per request, and nothing but JSON lines on stderr.

Each request is logged as JSON on the `orq_router_server.requests` logger at INFO, one
object a line: `request_id`, `method`, `path`, `status`, `ms`, and when the body was
read `model` (asked), `served` (the model that answered), `attempts`, `cache`, `inputs`,
`prompt_tokens`, `user`, `name`, `identity`, `contact`; on failure `error` (the error
code; a client that went away is status 499, `client_disconnected`); with several
worker processes `worker`, the pid of the one that answered. Never the API key, nor any
header.

`orq-router serve` calls `json_stderr()`, after which every line on stderr is one JSON
object, so that a log shipper never meets anything else: other log records become
`{"level", "logger", "message"[, "traceback"]}` (a traceback is a field, not lines),
warnings go through logging, an uncaught exception is logged the same way, and what
third-party code writes to stderr itself (a progress bar, a C library's message) is
caught at the file descriptor and wrapped as `{"level": "info", "logger": "stderr",
"message": <the line>}` (a line that already is a JSON object passes as it is).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from orq_router_server.request import EmbeddingCall

__all__ = ["LOGGER_NAME", "JsonFormatter", "json_line", "json_stderr", "log_request"]

LOGGER_NAME = "orq_router_server.requests"
logger = logging.getLogger(LOGGER_NAME)
_direct: logging.StreamHandler[Any] | None = None
"""`json_stderr`'s handler, once installed."""
_direct_fd = -1
"""The file descriptor of `_direct`'s stream."""
worker: int | None = None
"""With several worker processes, this one's pid: each line says which worker answered."""


def _dumper() -> Callable[[dict[str, Any]], str]:
    """orjson's writer when installed (the `fast` extra), else the standard library's,
    set to write the very same compact text."""
    try:
        import orjson
    except ImportError:
        return functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    return lambda record: orjson.dumps(record).decode()


_dumps = _dumper()


def _line_writer() -> Callable[[dict[str, Any]], bytes]:
    """A record as one line of UTF-8 bytes, newline included: what `_dumps` writes."""
    try:
        import orjson
    except ImportError:
        return lambda record: (_dumps(record) + "\n").encode()
    return functools.partial(orjson.dumps, option=orjson.OPT_APPEND_NEWLINE)


_line = _line_writer()


def log_request(
    *,
    request_id: str,
    method: str,
    path: str,
    status: int,
    ms: float,
    call: EmbeddingCall | None = None,
    served: str | None = None,
    attempts: int | None = None,
    cache: str | None = None,
    prompt_tokens: int | None = None,
    error: str | None = None,
) -> None:
    """Write the request's line (a no-op unless INFO is enabled for the logger)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    record: dict[str, Any] = {"request_id": request_id}
    if worker is not None:
        record["worker"] = worker
    record["method"] = method
    record["path"] = path
    record["status"] = status
    record["ms"] = round(ms, 2)
    if call is not None:
        trace = call.trace
        record["model"] = call.model
        record["inputs"] = len(call.inputs)
        # Labels only when given: most requests carry none.
        if trace.user is not None:
            record["user"] = trace.user
        if trace.name is not None:
            record["name"] = trace.name
        if trace.identity is not None:
            record["identity"] = dict(trace.identity)
        if trace.contact is not None:
            record["contact"] = dict(trace.contact)
    if served is not None:
        record["served"] = served
    if attempts is not None:
        record["attempts"] = attempts
    if cache is not None:
        record["cache"] = cache
    if prompt_tokens is not None:
        record["prompt_tokens"] = prompt_tokens
    if error is not None:
        record["error"] = error
    handler = _direct
    root = logging.root.handlers
    if handler is not None and len(root) == 1 and root[0] is handler and not logger.handlers:
        # `json_stderr`'s handler alone would write the line as it is: write its bytes to
        # the handler's file directly, without a LogRecord or the text layer (its stream
        # is line-buffered: nothing of another line waits in it).
        data = _line(record)
        handler.acquire()
        try:
            fd = _direct_fd
            while data:
                data = data[os.write(fd, data) :]
        finally:
            handler.release()
    else:
        logger.info(_dumps(record))


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object; the request log's lines (already JSON) as they are."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == LOGGER_NAME:
            return record.getMessage()
        entry: dict[str, Any] = {
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def json_line(message: str, *, level: str = "info", logger: str = "orq_router_server") -> str:
    """One stderr line as `json_stderr` writes it."""
    return json.dumps({"level": level, "logger": logger, "message": message}, ensure_ascii=False)


class _Wrapper(threading.Thread):
    """Reads what is written to fd 2 and writes it to the real stderr as JSON lines."""

    def __init__(self, read_fd: int, out_fd: int) -> None:
        super().__init__(name="orq-router-stderr", daemon=True)
        self.read_fd = read_fd
        self.out_fd = out_fd

    def run(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self.read_fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            # A progress bar redraws itself after "\r": each state is a line of its own.
            pending = (pending + chunk).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            *lines, pending = pending.split(b"\n")
            self._write(lines)
        self._write([pending])
        os.close(self.read_fd)

    def _write(self, lines: list[bytes]) -> None:
        out = []
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            out.append(line if _is_json_object(line) else json_line(line, logger="stderr"))
        if out:
            data = ("\n".join(out) + "\n").encode()
            while data:
                written = os.write(self.out_fd, data)
                data = data[written:]


def _is_json_object(line: str) -> bool:
    if not (line.startswith("{") and line.endswith("}")):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def json_stderr(level: int = logging.INFO) -> None:
    """Make every line this process (and its children) writes to stderr a JSON object.

    Logging goes, formatted by `JsonFormatter`, straight to the real stderr; file
    descriptor 2 becomes a pipe read by a thread that wraps whatever else arrives there.
    Idempotent. At exit the pipe is closed and its last lines written.
    """
    root = logging.getLogger()
    if getattr(json_stderr, "installed", False):
        return
    json_stderr.installed = True  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    real = os.dup(2)
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    wrapper = _Wrapper(read_fd, real)
    wrapper.start()
    stream = os.fdopen(os.dup(real), "w", buffering=1, encoding="utf-8", errors="replace")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    global _direct, _direct_fd
    _direct = handler
    _direct_fd = stream.fileno()
    root.setLevel(level)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_uncaught

    def restore() -> None:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(real, 2)  # the pipe's last writer here closes: the thread reads its end
        wrapper.join(timeout=2.0)

    atexit.register(restore)


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        return
    logging.getLogger("orq_router_server").critical(
        "uncaught %s: %s", kind.__name__, error, exc_info=(kind, error, traceback)
    )


def _log_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    thread = args.thread.name if args.thread is not None else "?"
    logging.getLogger("orq_router_server").critical(
        "uncaught %s in thread %s: %s",
        args.exc_type.__name__,
        thread,
        args.exc_value,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
