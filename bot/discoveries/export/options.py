"""The export command's options (--since, --until, --format, --output), checked before any
database work: a bad one is an ExportError that names it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.settings import SettingsError

FORMATS = ("csv", "jsonl")


class ExportError(SettingsError):
    """A bad export option or an unwritable output: like a bad setting, one line and exit 2."""


@dataclass(frozen=True)
class Window:
    """Discoveries created from start (inclusive) to end (exclusive), in UTC; None is open."""

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class ExportRequest:
    """What to export, how, and where (None: stdout)."""

    window: Window
    fmt: str
    output: Path | None = None


def export_request(
    *, since: str | None, until: str | None, fmt: str, output: str | None, zone: ZoneInfo
) -> ExportRequest:
    """Check the command's options before any database work; ExportError names the bad one."""
    window = Window(_bound("--since", since, zone), _bound("--until", until, zone, end=True))
    if window.start and window.end and window.end <= window.start:
        raise ExportError(f"--until {until} is before --since {since}: nothing could match.")
    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}.")
    return ExportRequest(window, fmt, _output_path(output))


def _bound(option: str, text: str | None, zone: ZoneInfo, *, end: bool = False) -> datetime | None:
    """A date means its local midnight (--until: the whole day); a datetime is taken as is."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return _instant(option, text, zone, end=end)
    day += timedelta(days=1) if end else timedelta()
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _instant(option: str, text: str, zone: ZoneInfo, *, end: bool) -> datetime:
    """Parse an ISO 8601 datetime (naive: in the workspace zone) as a UTC bound."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ExportError(
            f"{option} {text!r} is not a date (YYYY-MM-DD) nor an ISO 8601 date and time"
            " (e.g. 2025-03-01T09:30 or 2025-03-01T09:30:00+01:00)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    # --until is inclusive; both databases keep microseconds, so the next one is the end.
    return moment.astimezone(UTC) + (timedelta(microseconds=1) if end else timedelta())


def _output_path(output: str | None) -> Path | None:
    """The output file, refused early when its directory is missing."""
    if output is None:
        return None
    path = Path(output)
    if not path.parent.is_dir():
        raise ExportError(f"--output {output}: directory {path.parent} does not exist.")
    if path.is_dir():
        raise ExportError(f"--output {output} is a directory; name a file.")
    return path
