"""`valuescout accounts import|list|merge`: customer accounts from the CRM, kept by the admin."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session

from bot.accounts.importing import OwnerDirectory, apply_rows, with_owners
from bot.accounts.merging import merge
from bot.accounts.rows import AccountsFileError, accounts_csv, parse_accounts
from bot.cli.arguments import UsageError
from bot.cli.runtime import prepare_database
from bot.settings import Settings, require
from bot.slack_client import build_web_client
from storage.engine import read_scope, session_scope
from storage.queries.accounts import all_accounts, find_account
from storage.queries.workspaces import workspace_teams


def run_accounts(args: argparse.Namespace, settings: Settings, *, out: TextIO) -> int:
    """Run one accounts action; exit 1 when an import refused a row."""
    actions = {"import": _import, "list": _list, "merge": _merge}
    engine = prepare_database(settings)
    try:
        return actions[args.action](args, settings, engine, out)
    finally:
        engine.dispose()


def _import(args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO) -> int:
    try:
        parsed = parse_accounts(Path(args.file).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, AccountsFileError) as problem:
        raise UsageError(f"cannot import {args.file}: {problem}") from None
    owners = None
    if any(row.owner for row in parsed.rows):
        require(settings, "SLACK_BOT_TOKEN", purpose="finding account owners in Slack")
        owners = OwnerDirectory(build_web_client(settings))
    parsed = with_owners(parsed, owners)
    with session_scope(engine) as session:
        report = apply_rows(session=session, team_id=_team(args, settings, session), parsed=parsed)
        if args.dry_run:
            session.rollback()
    out.writelines(f"line {line}: rejected: {reason}\n" for line, reason in report.rejected)
    dry = " (dry run: nothing changed)" if args.dry_run else ""
    out.write(f"{report.summary()}{dry}\n")
    return 1 if report.rejected else 0


def _list(args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO) -> int:
    with read_scope(engine) as session:
        rows = [
            {
                "name": a.name, "crm_id": a.crm_id, "crm_url": a.crm_url,
                "owner": a.owner_user_id, "aliases": ";".join(a.aliases), "segment": a.segment,
            }
            for a in all_accounts(session=session, team_id=_team(args, settings, session))
        ]  # fmt: skip
    out.write(accounts_csv(rows))
    return 0


def _merge(args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO) -> int:
    with session_scope(engine) as session:
        team = _team(args, settings, session)
        source = find_account(session=session, team_id=team, ref=args.source)
        target = find_account(session=session, team_id=team, ref=args.target)
        for ref, account in ((args.source, source), (args.target, target)):
            if account is None:
                raise UsageError(f"no account matches {ref!r} (see `valuescout accounts list`)")
        if source.id == target.id:
            raise UsageError(f"{args.source!r} and {args.target!r} are the same account")
        merged = merge(session=session, source=source, target=target)
    out.write(merged.describe() + "\n")
    return 0


def _team(args: argparse.Namespace, settings: Settings, session: Session) -> str:
    """The workspace named by --team, else the database's only one, else the one workspace of
    SLACK_BOT_TOKEN (a fresh single-workspace database: the bot's team, as its scouts')."""
    if args.team:
        return args.team
    teams = list(workspace_teams(session=session))
    if len(teams) > 1:
        raise UsageError(f"the database holds several workspaces ({', '.join(teams)}): --team")
    if teams:
        return teams[0]
    require(settings, "SLACK_BOT_TOKEN", purpose="knowing the workspace (or give --team)")
    return build_web_client(settings, timeout=10).auth_test()["team_id"]
