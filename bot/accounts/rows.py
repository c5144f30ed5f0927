"""The accounts CSV: its columns, and each row read with its line number or the reason it is refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

COLUMNS = ("name", "crm_id", "crm_url", "owner", "aliases", "segment")
ALIAS_SEPARATOR = ";"
NAME_LENGTH = 200


class AccountsFileError(ValueError):
    """The file cannot be read as an accounts CSV at all (no row is applied)."""


@dataclass(frozen=True)
class AccountRow:
    """One row of the file as an account would hold it; `owner` still as written."""

    line: int
    name: str
    crm_id: str | None = None
    crm_url: str | None = None
    owner: str | None = None
    aliases: tuple[str, ...] = ()
    segment: str | None = None


@dataclass
class ParsedFile:
    """The rows that can be applied, and the refused ones as (line, reason)."""

    rows: list[AccountRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def parse_accounts(text: str) -> ParsedFile:
    """Read the CSV; a row without a name or repeating an earlier crm_id is refused."""
    parsed, seen = ParsedFile(), {}
    for line, record in _records(text):
        row = _row(line, record)
        if not row.name:
            parsed.rejected.append((line, "no name"))
        elif len(row.name) > NAME_LENGTH:
            parsed.rejected.append((line, f"name longer than {NAME_LENGTH} characters"))
        elif row.crm_id and row.crm_id in seen:
            parsed.rejected.append(
                (line, f"duplicate crm_id {row.crm_id} (line {seen[row.crm_id]})")
            )
        else:
            seen.setdefault(row.crm_id, line)
            parsed.rows.append(row)
    return parsed


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().casefold() for name in next(reader, [])]
    if "name" not in header:
        raise AccountsFileError(f"the first line must name the columns: {','.join(COLUMNS)}")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise AccountsFileError(
            f"unknown column {unknown[0]!r}; the columns are {','.join(COLUMNS)}"
        )
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield start, dict(zip(header, cells, strict=False))
        start = reader.line_num + 1


def _row(line: int, record: dict[str, str]) -> AccountRow:
    cell = {name: " ".join((record.get(name) or "").split()) or None for name in COLUMNS}
    aliases = (alias.strip() for alias in (cell["aliases"] or "").split(ALIAS_SEPARATOR))
    return AccountRow(
        line=line, name=cell["name"] or "", crm_id=cell["crm_id"], crm_url=cell["crm_url"],
        owner=cell["owner"], aliases=tuple(dict.fromkeys(a for a in aliases if a)),
        segment=cell["segment"],
    )  # fmt: skip


def accounts_csv(rows: list[dict[str, str | None]]) -> str:
    """Accounts as the import reads them (owner as a Slack user id)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
