"""`valuescout workspace list|delete`: the workspaces this deployment holds rows of, and an
admin's way to delete one's data (an uninstalled workspace's rows are kept until then)."""

from __future__ import annotations

import argparse
from typing import TextIO

from bot.cli.arguments import UsageError
from bot.cli.runtime import prepare_database
from bot.settings import Settings
from storage.engine import read_scope, session_scope
from storage.queries.workspaces import delete_workspace, workspace_teams


def run_workspace(args: argparse.Namespace, settings: Settings, *, out: TextIO) -> int:
    """List the workspaces, or delete one's rows and print how many went from each table."""
    engine = prepare_database(settings)
    try:
        return _delete(args, engine, out) if args.action == "delete" else _list(engine, out)
    finally:
        engine.dispose()


def _list(engine, out: TextIO) -> int:
    with read_scope(engine) as session:
        teams = workspace_teams(session=session)
    for team, counts in teams.items():
        state = "installed" if counts.pop("installed") else "not installed"
        figures = ", ".join(f"{count} {table}" for table, count in counts.items())
        out.write(f"{team}: {state}; {figures or 'no rows'}\n")
    if not teams:
        out.write("no workspace has rows yet\n")
    return 0


def _delete(args: argparse.Namespace, engine, out: TextIO) -> int:
    if not args.yes:
        raise UsageError(f"deleting {args.team}'s rows cannot be undone: add --yes to confirm")
    with session_scope(engine) as session:
        if args.team not in workspace_teams(session=session):
            raise UsageError(f"no workspace {args.team!r} (see `valuescout workspace list`)")
        counts = delete_workspace(session=session, team_id=args.team)
    out.writelines(f"{table}: {count} deleted\n" for table, count in counts.items() if count)
    out.write(f"workspace {args.team}: {sum(counts.values())} rows deleted\n")
    return 0
