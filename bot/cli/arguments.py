"""The command line's shape for the commands with actions (accounts, workspace, webhook), apart
from the modules that run them: building the parser then imports nothing heavy, so every
`valuescout` command (and a refused one) starts in about a second, not three."""

from __future__ import annotations

import argparse

from bot.settings import SettingsError


class UsageError(SettingsError):
    """A command-line value that makes no sense: `main` prints it in one line and exits 2."""


def add_accounts_command(commands, command, run) -> None:
    """Register `accounts import FILE [--dry-run]`, `accounts list` and `accounts merge A B`."""
    accounts = command(commands, "accounts", run, "customer accounts: import, list, merge")
    actions = accounts.add_subparsers(required=True, metavar="action", dest="action")
    load = actions.add_parser("import", help="create or update accounts from a CSV (by crm_id)")
    load.add_argument(
        "file", metavar="FILE.csv", help="columns: name,crm_id,crm_url,owner,aliases,segment"
    )
    load.add_argument(
        "--dry-run", action="store_true", help="report what would change; change nothing"
    )
    list_ = actions.add_parser("list", help="print every account as CSV (the import's columns)")
    merge = actions.add_parser("merge", help="merge account A into B: A's discoveries move to B")
    for ref in ("source", "target"):
        merge.add_argument(ref, help="a crm_id, #id, or name or alias")
    for action in (load, merge, list_):
        action.add_argument(
            "--team", help="the workspace (team id); needed when the database holds several"
        )


def add_workspace_command(commands, command, run) -> None:
    """Register `workspace list` and `workspace delete TEAM --yes`."""
    workspace = command(commands, "workspace", run, "workspaces: list them, delete one's data")
    actions = workspace.add_subparsers(required=True, metavar="action", dest="action")
    actions.add_parser("list", help="each workspace with its discoveries, dialogues, accounts")
    delete = actions.add_parser("delete", help="delete every row of one workspace, its install too")
    delete.add_argument("team", help="the workspace's team id (T…), as `workspace list` shows")
    delete.add_argument("--yes", action="store_true", help="confirm: the rows cannot come back")


def add_webhook_actions(webhook: argparse.ArgumentParser) -> None:
    """The actions of `valuescout webhook`."""
    actions = webhook.add_subparsers(required=True, metavar="action", dest="action")
    test = actions.add_parser("test", help="send a signed event of type ping and print the answer")
    test.add_argument("--team", help="ping this workspace's own target (T…)")
    put = actions.add_parser("set", help="a workspace's own target; the secret on standard input")
    put.add_argument("--team", required=True, help="the workspace's team id (T…)")
    put.add_argument("--url", required=True, help="https://… (http:// for a local receiver)")
    gone = actions.add_parser("unset", help="a workspace's events go to VALUESCOUT_WEBHOOK_URL")
    gone.add_argument("--team", required=True, help="the workspace's team id (T…)")
