"""Domain events: what a use case changed, as plain data, recorded in the change's transaction.

Effects (cards, the scout's thread, webhooks) are derived from these by `bot.effects`, so
a use case says what happened and never how anyone hears of it. Types are dotted lowercase,
and are the `type` a webhook receiver sees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to one discovery, and who did it."""

    type: ClassVar[str] = ""
    discovery_id: int
    actor_user_id: str


@dataclass(frozen=True)
class DiscoverySubmitted(DomainEvent):
    """A scout submitted a discovery; its cards go to these route channels."""

    type: ClassVar[str] = "discovery.submitted"
    channels: dict[str, str] = field(default_factory=dict)  # route → channel id


@dataclass(frozen=True)
class DiscoveryEdited(DomainEvent):
    """The scout (or an admin) changed the answers while the discovery was new."""

    type: ClassVar[str] = "discovery.edited"


@dataclass(frozen=True)
class StatusChanged(DomainEvent):
    """A status change kept in the history (change_id), made on the card in channel_id."""

    change_id: int = 0
    channel_id: str = ""
    route: str | None = None  # the route of the card clicked, when it was one


@dataclass(frozen=True)
class DiscoveryWithdrawn(StatusChanged):
    """The scout (or an admin) withdrew the discovery."""

    type: ClassVar[str] = "discovery.withdrawn"


@dataclass(frozen=True)
class RouteAcknowledged(StatusChanged):
    """A receiving team picked the discovery up."""

    type: ClassVar[str] = "route.acknowledged"


@dataclass(frozen=True)
class RouteActioned(StatusChanged):
    """A receiving team acted on it (an opportunity, content, a roadmap item…)."""

    type: ClassVar[str] = "route.actioned"


@dataclass(frozen=True)
class RouteDeclined(StatusChanged):
    """A receiving team declined it, with a reason."""

    type: ClassVar[str] = "route.declined"


@dataclass(frozen=True)
class DiscoveryRerouted(StatusChanged):
    """A card moved from one route's channel (channel_id) to another's (to_channel_id)."""

    type: ClassVar[str] = "discovery.rerouted"
    to_route: str = ""
    to_channel_id: str = ""


@dataclass(frozen=True)
class DiscoveryShared(DiscoveryRerouted):
    """The team of channel_id also sent the discovery to another route (to_channel_id) and
    keeps it too."""

    type: ClassVar[str] = "discovery.shared"


@dataclass(frozen=True)
class RouteStageChanged(DomainEvent):
    """An actioned route moved on in its follow-through (e.g. opportunity opened → won)."""

    type: ClassVar[str] = "route.stage_changed"
    stage_change_id: int = 0
    follow_up_id: int = 0
    route: str = ""
    stage: str = ""


@dataclass(frozen=True)
class DiscoverySupported(DomainEvent):
    """Another account joined the discovery as a supporter (a look-alike's scout, or a merge)."""

    type: ClassVar[str] = "discovery.supported"
    supporter_id: int = 0


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    kind.type: kind
    for kind in (
        DiscoverySubmitted, DiscoveryEdited, DiscoveryWithdrawn, DiscoveryRerouted,
        DiscoveryShared, RouteAcknowledged, RouteActioned, RouteDeclined, RouteStageChanged,
        DiscoverySupported,
    )
}  # fmt: skip


def event_data(event: DomainEvent) -> dict[str, Any]:
    """The event's fields as JSON-ready data (its type is kept beside it)."""
    return asdict(event)


def event_from(type_name: str, data: dict[str, Any]) -> DomainEvent:
    """Rebuild a recorded event; fields a later version dropped are ignored."""
    kind = EVENT_TYPES[type_name]
    known = {f.name for f in fields(kind)}
    return kind(**{key: value for key, value in data.items() if key in known})
