"""`valuescout digest preview|send`: a week's digests printed in the terminal, or sent now."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.cli.arguments import UsageError
from bot.cli.runtime import check_slack, prepare_database, stored_settings
from bot.cli.terminal import blocks_as_lines, mrkdwn_as_text
from bot.digests.build import digest_names
from bot.digests.jobs import build_week, send_digests
from bot.digests.model import Digest, DigestKind, Message, Week
from bot.digests.schedule import last_complete_week
from bot.digests.send import Outcome
from bot.domain.themes import load_network
from bot.settings import Settings, require
from bot.slack_client import build_web_client
from storage.engine import session_scope
from storage.queries import route_channels
from storage.types import utc_now


def run_digest(args: argparse.Namespace, settings: Settings, *, out: TextIO) -> int:
    """Preview or send the chosen week's digests."""
    names = digest_names()  # the routes of the prompts in use, the coaches', the scouts'
    if args.route is not None and args.route not in names:
        raise UsageError(
            f"--route: {args.route!r} is not a digest; expected one of {', '.join(names)}"
        )
    week = chosen_week(args.week, settings) if args.week else None  # None: the last complete
    if args.action == "preview":
        return preview(settings, week=week, only=args.route, chart_file=args.chart_file, out=out)
    return send(settings, week=week, only=args.route, force=args.force, out=out)


def chosen_week(text: str | None, settings: Settings) -> Week:
    """--week as given, else the last complete week on the clock of `settings`."""
    if not text:
        return last_complete_week(utc_now(), settings.zone)
    try:
        return Week.parse(text)
    except ValueError as error:
        raise UsageError(f"--week: {error}") from None


def preview(
    settings: Settings, *, week: Week | None, only: str | None, chart_file: str | None,
    out: TextIO,
) -> int:  # fmt: skip
    """Print the digests as Slack would show them and write each chart to a PNG file."""
    engine = prepare_database(settings)
    try:
        settings = stored_settings(engine, settings)  # the zone an admin chose in Slack
        week = week or chosen_week(None, settings)
        with session_scope(engine) as session:
            names = {channel: role for role, channel in route_channels(session=session).items()}
        digests = build_week(
            engine=engine, settings=settings, network=load_network(), week=week,
            now=utc_now(), only=only,
        )  # fmt: skip
    finally:
        engine.dispose()
    if not digests:
        out.write(f"No digests for {week}: map route channels, or log some discoveries.\n")
    charts = [digest for digest in digests if digest.chart is not None]
    paths = dict(zip(map(id, charts), chart_paths(chart_file, charts), strict=True))
    for digest in digests:
        out.write(digest_text(digest, names, chart_path=paths.get(id(digest))))
        if id(digest) in paths:
            paths[id(digest)].write_bytes(digest.chart.png)  # type: ignore[union-attr]
    return 0


def chart_paths(chart_file: str | None, charts: Sequence[Digest]) -> list[Path]:
    """Where charts go: --chart-file (numbered if several), else their names in the cwd."""
    if chart_file is None:
        return [Path(digest.chart.filename).resolve() for digest in charts]  # type: ignore[union-attr]
    path = Path(chart_file).resolve()
    if len(charts) == 1:
        return [path]
    return [path.with_stem(f"{path.stem}-{number}") for number in range(1, len(charts) + 1)]


def digest_text(digest: Digest, names: dict[str, str], *, chart_path: Path | None = None) -> str:
    """One digest as terminal text: a heading, the parent, the thread, where the chart went."""
    sigil = "@" if digest.kind == DigestKind.SCOUT else "#"
    where = mrkdwn_as_text(f"<{sigil}{digest.channel_id}>", names)
    lines = [f"══ {digest.name} · {where} · {digest.week}", *_lines(digest.parent, names)]
    for message in digest.thread:
        lines += ["── in the thread", *_lines(message, names)]
    if digest.chart is not None:
        saved = f" → {chart_path}" if chart_path else ""
        lines.append(f"── in the thread: chart “{digest.chart.title}”{saved}")
    return "\n".join(lines) + "\n\n"


def _lines(message: Message, names: dict[str, str]) -> list[str]:
    shown = blocks_as_lines({"text": message.text, "blocks": message.blocks}, names)
    return [f"   {line}" for line in shown]


def send(
    settings: Settings, *, week: Week | None, only: str | None, force: bool, out: TextIO
) -> int:
    """Send the week's digests now (once per channel unless forced); 1 if any failed."""
    require(settings, "SLACK_BOT_TOKEN", purpose="valuescout digest send")
    check_slack(settings)
    engine = prepare_database(settings)
    try:
        settings = stored_settings(engine, settings)  # the zone an admin chose in Slack
        week = week or chosen_week(None, settings)
        now = utc_now()
        digests = build_week(
            engine=engine, settings=settings, network=load_network(), week=week, now=now,
            only=only,
        )  # fmt: skip
        client = build_web_client(settings)
        sent = send_digests(engine=engine, client=client, digests=digests, now=now, force=force)
    finally:
        engine.dispose()
    for digest, outcome in sent:
        out.write(f"{digest.name} → {digest.channel_id} ({week}): {outcome}\n")
    if not sent:
        out.write(f"No digests for {week}: map route channels, or log some discoveries.\n")
    if any(outcome is Outcome.ALREADY_SENT for _digest, outcome in sent) and not force:
        out.write("Already sent digests are sent only once; --force sends them again.\n")
    return 1 if any(outcome is Outcome.FAILED for _digest, outcome in sent) else 0
