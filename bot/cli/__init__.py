"""The `valuescout` command: run the app, the worker, the clock, the demo; manage the database."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.bootstrap import load_settings
from bot.dialogue.definition import DefinitionError
from bot.domain.routing import RoutingError
from bot.domain.themes import NetworkError
from bot.logs import configure_logging
from bot.manifest import ManifestError
from bot.settings import Settings, SettingsError
from storage.engine import DatabaseUnavailable, parse_database_url

log = logging.getLogger("valuescout")
# A mistake in prompts/ (an admin's edit) names the file and the key, in one line.
PROMPT_ERRORS = (DefinitionError, RoutingError, NetworkError)
# Mistakes on the command line or in the set-up: one line, exit 2.
SETUP_ERRORS = (SettingsError, DatabaseUnavailable, ManifestError, *PROMPT_ERRORS)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; problems end in one clear line, exit 2."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        args.log_level = (args.log_level or settings.log_level or "").upper() or None
        level = args.log_level or ("WARNING" if args.run is _demo else "INFO")
        configure_logging(level=level, secrets=_secrets(settings), fmt=settings.log_format)
        return args.run(args, settings) or 0
    except SETUP_ERRORS as problem:
        print(f"valuescout: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="valuescout", description=__doc__)
    levels = ["DEBUG", "INFO", "WARNING", "ERROR"]
    parser.add_argument("--log-level", type=str.upper, choices=levels, help="default: LOG_LEVEL")
    commands = parser.add_subparsers(required=True, metavar="command")
    _command(commands, "start", _start, "the main job: the worker, web or, with no workspace, demo")
    web = _command(commands, "web", _web, "HTTP mode (Events API) under Gunicorn")
    web.add_argument("--host", default="0.0.0.0")
    web.add_argument("--port", type=int, help="default: PORT, else 3000")
    web.add_argument("--workers", type=int, help="default: WEB_CONCURRENCY, else 2")
    web.add_argument("--threads", type=int, default=8)
    _command(commands, "worker", _worker, "Socket Mode, one process (also runs the scheduler)")
    _command(commands, "clock", _clock, "the scheduler process (digests)")
    demo = _command(commands, "demo", _demo, "try it: the app wired to a built-in Slack emulator")
    demo.add_argument("--user", default=None, help="whom you play (a seeded user id)")
    demo.add_argument("--database", metavar="URL", help="default: sqlite:///valuescout-demo.db")
    demo.add_argument("--reset", action="store_true", help="start afresh: remove the demo's file")
    demo.add_argument("--files", metavar="DIR", help="save charts here (default: a temp folder)")
    demo.add_argument("--workspaces", type=int, choices=(1, 2), default=1,
                      help="2: Acme and Globex side by side, installed by OAuth (/team switches)")
    _add_digest(commands)
    _add_jobs(commands)
    db = _command(commands, "db", None, "database management")
    db_commands = db.add_subparsers(required=True, metavar="action")
    _command(db_commands, "upgrade", _db_upgrade, "apply the migrations")
    _command(db_commands, "backup", _db_backup, "copy the database to FILE").add_argument("file")
    doctor = _command(commands, "doctor", _doctor, "check the set-up (changes nothing); exit 1 if wrong")
    only = "installed by OAuth: check this workspace only (default: each one)"
    doctor.add_argument("--team", metavar="TEAM_ID", help=only)
    manifest = _command(commands, "manifest", _manifest, "print the Slack app manifest (YAML)")
    manifest.add_argument("--request-url", help="HTTP mode: the public base URL of `web`")
    _add_export(commands)
    _add_webhook(commands)
    _add_accounts(commands)
    _add_workspace(commands)
    return parser


def _command(commands, name: str, run, help_text: str) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=help_text, description=help_text)
    command.set_defaults(run=run)
    return command


def _start(args: argparse.Namespace, settings: Settings) -> int | None:
    """Socket Mode when an app token is set, HTTP mode with a signing secret, the demo with no
    Slack secret at all; a partial set-up is refused (Settings.mode says what is missing)."""
    if settings.mode == "socket":
        return _worker(args, settings)
    if settings.mode in ("http", "oauth"):
        defaults = {"host": "0.0.0.0", "port": None, "workers": None, "threads": 8}
        return _web(argparse.Namespace(**defaults), settings)
    print(
        "No Slack workspace is configured (see README): starting the demo on the built-in emulator."
    )
    logging.getLogger().setLevel(args.log_level or "WARNING")
    args.user, args.database, args.reset, args.files = None, None, False, None
    return _demo(args, settings)


def _web(args: argparse.Namespace, settings: Settings) -> None:
    from bot.metrics.multiprocess import shared_metrics_dir

    port, workers = args.port or settings.port, args.workers or settings.web_concurrency
    with shared_metrics_dir():  # the workers' counters, summed by every scrape
        from bot.cli.runtime import run_web

        run_web(settings, host=args.host, port=port, workers=workers, threads=args.threads)


def _worker(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.runtime import run_worker

    run_worker(settings)


def _clock(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.runtime import run_clock

    run_clock(settings)


def _demo(args: argparse.Namespace, settings: Settings) -> int | None:
    """The demo on its own database (never DATABASE_URL, which may be a real workspace's)."""
    from bot.cli.demo import DEMO_DATABASE, reset_demo_database, run_demo

    database = args.database or DEMO_DATABASE
    try:
        parse_database_url(database)
    except ValueError as error:
        raise SettingsError(f"--database {error}") from None
    settings = settings.model_copy(update={"database_url": database})
    if args.reset:
        print(f"starting afresh: removed {reset_demo_database(database)}")
    files = Path(args.files) if args.files else None
    workspaces = getattr(args, "workspaces", 1)  # `start` runs the demo without the option
    return run_demo(settings, user=args.user, files=files, workspaces=workspaces)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.runtime import prepare_database

    prepare_database(settings).dispose()
    print("database is up to date")


def _db_backup(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.backup import backup

    backup(settings.database_url, Path(args.file), out=sys.stdout)


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.doctor import run_doctor

    logging.getLogger().setLevel(args.log_level or "WARNING")  # the checks, not the set-up
    return run_doctor(settings, out=sys.stdout, team=args.team)


def _add_digest(commands) -> None:
    """`valuescout digest preview|send`: a week's digests in the terminal, or sent now."""
    digest = _command(commands, "digest", _digest, "weekly digests: preview them, or send them now")
    actions = digest.add_subparsers(required=True, metavar="action", dest="action")
    preview = actions.add_parser("preview", help="print a week's digests; write charts to PNG")
    send = actions.add_parser("send", help="send a week's digests now (once, unless --force)")
    for parser in (preview, send):
        parser.add_argument(
            "--route", metavar="ROUTE",
            help="only this digest: a route's id (see prompts/routing.yaml), coach or scout",
        )  # fmt: skip
        parser.add_argument("--week", help="an ISO week like 2026-W47 (default: the last one)")
    preview.add_argument("--chart-file", metavar="PATH", help="where to write the chart PNG")
    send.add_argument("--force", action="store_true", help="send again, even if sent before")


def _digest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.digest import run_digest

    logging.getLogger().setLevel(args.log_level or "WARNING")  # the digests, not the set-up
    return run_digest(args, settings, out=sys.stdout)


def _add_jobs(commands) -> None:
    """`valuescout jobs run [--at TIME]`: the scheduled jobs due at a moment, run once."""
    jobs = _command(commands, "jobs", _jobs, "scheduled jobs: run the ones due now, or at a time")
    actions = jobs.add_subparsers(required=True, metavar="action", dest="action")
    run = actions.add_parser("run", help="run every job due at --at once, then deliver")
    zone = "without an offset, in the workspace's time zone"
    run.add_argument("--at", metavar="TIME", help=f"an ISO 8601 time ({zone}); default: now")
    run.add_argument("--team", metavar="TEAM_ID",
                     help="installed by OAuth: this workspace's jobs, with its token")  # fmt: skip


def _jobs(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.jobs import run_jobs

    logging.getLogger().setLevel(args.log_level or "WARNING")  # the summary, not the set-up
    return run_jobs(args, settings, out=sys.stdout)


def _manifest(args: argparse.Namespace, settings: Settings) -> None:
    from bot.manifest import manifest_yaml

    print(manifest_yaml(request_url=args.request_url), end="")


def _add_export(commands) -> None:
    """`valuescout export`: discoveries with their routes and status history, for analysts."""
    export = _command(commands, "export", _export, "write discoveries and their status history")
    when = "a date (YYYY-MM-DD, in VALUESCOUT_TIMEZONE) or an ISO 8601 date and time"
    export.add_argument("--since", metavar="DATE", help=f"created at or after: {when}")
    until = "created at or before (a date: all of that day)"
    export.add_argument("--until", metavar="DATE", help=f"{until}: {when}")
    export.add_argument(
        "--format",
        required=True,
        choices=["csv", "jsonl"],
        help="jsonl: one object per line, routes and history nested; csv: one row per"
        " discovery, routes and history as JSON cells, formula-like text behind an apostrophe",
    )
    export.add_argument("--output", metavar="FILE", help="write FILE (atomically), not stdout")


def _export(args: argparse.Namespace, settings: Settings) -> None:
    from bot.cli.runtime import prepare_database, stored_settings
    from bot.discoveries.export.options import export_request
    from bot.discoveries.export.run import run_export

    logging.getLogger().setLevel(args.log_level or "WARNING")  # stderr: the summary line only
    options = {"since": args.since, "until": args.until, "output": args.output, "fmt": args.format}
    export_request(**options, zone=settings.zone)  # a bad option is told before any work
    engine = prepare_database(settings)
    try:  # dates are read on the workspace's clock, which an admin may have changed in Slack
        request = export_request(**options, zone=stored_settings(engine, settings).zone)
        run_export(engine=engine, request=request)
    finally:
        engine.dispose()


def _add_webhook(commands) -> None:
    """`valuescout webhook test|set|unset`: a signed ping and its answer; a workspace's own
    target (installed by OAuth) instead of VALUESCOUT_WEBHOOK_URL."""
    from bot.cli.arguments import add_webhook_actions

    webhook = _command(commands, "webhook", _webhook, "outbound webhooks")
    add_webhook_actions(webhook)


def _webhook(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.webhook import run_webhook

    logging.getLogger().setLevel(args.log_level or "WARNING")
    return run_webhook(args, settings, stdin=sys.stdin, out=sys.stdout)


def _add_accounts(commands) -> None:
    from bot.cli.arguments import add_accounts_command

    add_accounts_command(commands, _command, _accounts)


def _accounts(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.accounts import run_accounts

    logging.getLogger().setLevel(args.log_level or "WARNING")  # the report, not the set-up
    return run_accounts(args, settings, out=sys.stdout)


def _add_workspace(commands) -> None:
    from bot.cli.arguments import add_workspace_command

    add_workspace_command(commands, _command, _workspace)


def _workspace(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.workspaces import run_workspace

    logging.getLogger().setLevel(args.log_level or "WARNING")
    return run_workspace(args, settings, out=sys.stdout)


def _secrets(settings: Settings) -> tuple[str, ...]:
    """The configured secrets, so the log filter can redact them wherever they appear."""
    values = (
        settings.bot_token,
        settings.signing_secret,
        settings.app_token,
        settings.webhook_secret,
        settings.api_token,
        settings.metrics_token,
    )
    secrets = [value.get_secret_value() for value in values if value is not None]
    # An unparsable URL fails with its own clear message when the engine is built.
    with contextlib.suppress(ArgumentError):
        secrets.append(make_url(settings.database_url).password or "")
    return tuple(secret for secret in secrets if secret)
