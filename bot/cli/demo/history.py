"""The demo's view of the past: sample history, this week's digests on demand, channel counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli.sample import add_sample_history
from bot.digests.build import digest_names
from bot.digests.jobs import build_week, send_digests
from bot.digests.model import Week
from storage.engine import session_scope
from storage.queries import route_channels

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo


def digest(demo: Demo, which: str) -> None:
    """/digest [route]: this week's digests so far (a demo's discoveries are recent), sent now."""
    only, names = which.strip().lower() or None, digest_names()
    if only is not None and only not in names:
        demo.screen.say(f"no digest {only!r}; try {', '.join(names)}")
        return
    now, engine = demo.now(), demo.parts.engine
    team = demo.team if demo.oauth else None  # the workspace you are in, of several
    settings = demo.settings_here()  # on its clock
    digests = build_week(
        engine=engine, settings=settings, network=demo.network,
        week=Week.of(now, settings.zone), now=now, only=only, team_id=team,
    )  # fmt: skip
    # Forced: each /digest sends afresh, so the demo can show a digest again after changes.
    sent = send_digests(
        engine=engine, client=demo.client_here(), digests=digests, now=now, force=True,
        team_id=team or "",
    )  # fmt: skip
    demo.wait_until_quiet()
    for each, _outcome in sent:
        if each.chart is not None:
            path = demo.files() / each.chart.filename
            path.write_bytes(each.chart.png)
            demo.screen.say(f"(the chart “{each.chart.title}” is also saved as {path})")
    for each, outcome in sent:
        if outcome != "sent":
            demo.screen.say(f"{each.name}: {outcome}")
    if not sent:
        demo.screen.say("no digests")


def sample(demo: Demo, rest: str) -> None:
    """/sample: twelve weeks of history in the database (not posted: it is the past)."""
    with session_scope(demo.parts.engine) as session:
        channels = route_channels(session=session, team_id=demo.team)
    added = add_sample_history(
        engine=demo.parts.engine, team_id=demo.team, channels=channels,
        network=demo.network, now=demo.now(), zone=demo.settings_here().zone,
    )  # fmt: skip
    said = f"added {added} sample discoveries over 12 weeks" if added else "already added"
    demo.screen.say(f"{said}; try /digest coach or /digest product")


def channels(demo: Demo, rest: str) -> None:
    """/channels: how many messages landed in each channel."""
    for room_id, name in demo.rooms.items():
        count = len(demo.emulator.messages(room_id))
        demo.screen.say(f"#{name}: {count} message{'s' * (count != 1)}")
