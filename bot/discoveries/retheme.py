"""A person re-themes a discovery from its card: their choice is kept as a correction and wins
over the automatic match everywhere (discoveries.themes is set to it, so every count follows).

Who may: members of a channel the discovery was routed to, and admins. A choice made on a
form opened before someone else's change is refused, never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.discoveries.route_status import lock_discovery
from bot.domain.actor import Actor
from bot.domain.added_themes import network_with
from bot.domain.themes import ValueNetwork
from bot.effects.slack import queue_redraws
from storage.enums import DiscoveryStatus
from storage.models import Discovery, DiscoveryRoute, ThemeCorrection
from storage.queries.themes import latest_correction, theme_additions

GONE, WITHDRAWN, STALE, UNKNOWN = "gone", "withdrawn", "stale", "unknown"
NOT_PERMITTED = "not_permitted"


@dataclass(frozen=True)
class RethemeOpening:
    """What the Themes… form needs, and who may use it: the discovery's channels."""

    found: bool
    account: str = ""
    themes: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    withdrawn: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (key, label) of every theme of the network


@dataclass(frozen=True)
class RethemeResult:
    """Whether the choice stands now; if not, why (gone, withdrawn, stale, unknown)."""

    saved: bool
    refused: str | None = None
    themes: tuple[str, ...] = ()  # the discovery's themes now
    by: str | None = None  # who set them, when someone did


def open_retheme(*, session: Session, discovery_id: int, network: ValueNetwork) -> RethemeOpening:
    """The discovery's themes, the themes to pick from and the channels it went to."""
    discovery = session.get(Discovery, discovery_id)
    if discovery is None:
        return RethemeOpening(False)
    channels = session.exec(
        select(DiscoveryRoute.channel_id).where(col(DiscoveryRoute.discovery_id) == discovery_id)
    ).all()
    network = network_with(network, theme_additions(session=session, team_id=discovery.team_id))
    return RethemeOpening(
        True, discovery.account, tuple(discovery.themes or ()), tuple(dict.fromkeys(channels)),
        discovery.status == DiscoveryStatus.WITHDRAWN,
        tuple((theme.key, theme.label) for theme in network.themes),
    )  # fmt: skip


def may_retheme(actor: Actor, channels: Iterable[str], is_member: Callable[[str], bool]) -> bool:
    """Admins, and the members of any channel the discovery was routed to."""
    return actor.is_admin or any(is_member(channel) for channel in channels)


def retheme(
    *, session: Session, discovery_id: int, themes: Sequence[str], shown: Sequence[str],
    user_id: str, source_key: str, network: ValueNetwork, now: datetime,
) -> RethemeResult:  # fmt: skip
    """Keep the choice as a correction and set the discovery's themes to it, once per form;
    refused when the themes changed since the form showed them (`shown`)."""
    discovery = lock_discovery(session, discovery_id)
    if discovery is None:
        return RethemeResult(False, GONE)
    current = tuple(discovery.themes or ())
    if discovery.status == DiscoveryStatus.WITHDRAWN:
        return RethemeResult(False, WITHDRAWN, current)
    network = network_with(network, theme_additions(session=session, team_id=discovery.team_id))
    chosen = tuple(t.key for t in network.themes if t.key in set(themes))
    if not chosen or len(chosen) != len(set(themes)):
        return RethemeResult(False, UNKNOWN, current)
    if chosen == current:  # the same choice again (a second submit, or nothing changed)
        return RethemeResult(True, None, current)
    if current != tuple(shown):
        latest = latest_correction(session=session, discovery_id=discovery_id)
        return RethemeResult(False, STALE, current, latest.user_id if latest else None)
    _record(session, discovery, chosen, user_id, source_key, now)
    return RethemeResult(True, None, chosen, user_id)


def corrected_themes(*, session: Session, discovery_id: int) -> list[str] | None:
    """The themes a person chose for the discovery, if anyone did: an edit keeps them."""
    latest = latest_correction(session=session, discovery_id=discovery_id)
    return list(latest.themes) if latest else None


def _record(
    session: Session, discovery: Discovery, chosen: tuple[str, ...], user_id: str,
    source_key: str, now: datetime,
) -> None:  # fmt: skip
    """The correction row, the discovery's themes, and a redraw of its cards and receipt."""
    assert discovery.id is not None
    correction = ThemeCorrection(
        discovery_id=discovery.id, themes=list(chosen), replaced=list(discovery.themes or ()),
        user_id=user_id, source_key=source_key, created_at=now,
    )  # fmt: skip
    session.add(correction)
    discovery.themes, discovery.updated_at = list(chosen), now
    session.add(discovery)
    session.flush()
    queue_redraws(session=session, discovery_id=discovery.id, cause=f"themes:{correction.id}",
                  now=now)  # fmt: skip
