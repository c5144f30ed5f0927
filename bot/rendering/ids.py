"""Every action, block, callback and command id the app sends and listens for, in one place."""

from enum import StrEnum


class Command(StrEnum):
    """Slash commands."""

    SCOUT = "/scout"


class ActionId(StrEnum):
    """action_id of interactive elements."""

    LOG_DISCOVERY = "log_discovery"


class CallbackId(StrEnum):
    """callback_id of shortcuts and views."""

    LOG_DISCOVERY_SHORTCUT = "log_value_discovery"
