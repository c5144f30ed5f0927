"""Plain views of accounts for rendering: the ones a person owns, and one account's picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.domain.views import DiscoveryView, RouteView


@dataclass(frozen=True)
class OwnedAccount:
    """An account on its owner's Home tab: how many discoveries, how many still new."""

    id: int
    name: str
    crm_url: str | None
    discoveries: int
    new: int


@dataclass(frozen=True)
class OwnerHome:
    """The Home tab's accounts section: the person's accounts, their DM switch, admin tools."""

    owned: list[OwnedAccount] = field(default_factory=list)
    alerts_off: bool = False
    admin: bool = False

    def __bool__(self) -> bool:
        return bool(self.owned) or self.alerts_off or self.admin


@dataclass(frozen=True)
class AccountPicture:
    """Everything `/scout account` shows about one account."""

    id: int
    name: str
    owner_user_id: str | None
    crm_url: str | None
    discoveries: list[tuple[DiscoveryView, list[RouteView]]]
    more: int  # discoveries not listed (the newest are)
    value: Decimal | None  # yearly value in the base currency, bands at their midpoint
    approximate: bool  # a band's midpoint is part of the value
    events: list[tuple[date, str, int]]  # upcoming compelling events: date, pressure, discovery
    themes: list[tuple[str, int]]  # theme key, how many discoveries
