"""Run an export: its records written to stdout, or atomically to the output file."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from bot.discoveries.export.formats import write_csv, write_jsonl
from bot.discoveries.export.options import ExportError, ExportRequest
from bot.discoveries.export.reading import BATCH_SIZE, export_records


def run_export(*, engine: Engine, request: ExportRequest, batch_size: int = BATCH_SIZE) -> int:
    """Write the export to stdout or atomically to the output file; return how many."""
    records = export_records(engine=engine, window=request.window, batch_size=batch_size)
    write = write_csv if request.fmt == "csv" else write_jsonl
    if request.output is None:
        with _stdout() as stream:
            return write(records, stream)
        return 0  # stdout was closed early
    try:
        with _atomic_file(request.output) as stream:
            count = write(records, stream)
    except OSError as error:
        raise ExportError(f"--output {request.output}: {error.strerror or error}.") from None
    print(f"exported {count} discoveries to {request.output}", file=sys.stderr)
    return count


@contextlib.contextmanager
def _stdout() -> Iterator[TextIO]:
    """stdout as UTF-8 without newline translation, whatever the locale says."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout without bytes underneath takes text as it is
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        # The reader stopped (`| head`): the rest goes nowhere, quietly, as with cat.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        stream.detach()  # sys.stdout still owns the buffer


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[TextIO]:
    """A temporary file beside path, renamed over it only once everything is written."""
    # mkstemp makes the file 0600: the export holds customers' names and scouts' notes.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
