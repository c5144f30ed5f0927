"""Every action, block, callback and command id the app sends and listens for, in one place."""

from enum import StrEnum


class Command(StrEnum):
    """Slash commands."""

    SCOUT = "/scout"


class ActionId(StrEnum):
    """action_id of interactive elements."""

    LOG_DISCOVERY = "log_discovery"
    HOME_PAGE = "home_page"
    DIALOGUE_PICK = "dialogue_pick"
    DIALOGUE_SKIP = "dialogue_skip"
    DIALOGUE_BACK = "dialogue_back"
    DIALOGUE_CANCEL = "dialogue_cancel"
    DIALOGUE_EDIT = "dialogue_edit"
    DIALOGUE_ROUTES = "dialogue_routes"
    DIALOGUE_SUBMIT = "dialogue_submit"
    DIALOGUE_KEEP = "dialogue_keep"  # keep the answer given (a challenged one) and go on
    DIALOGUE_SUPPORT = "dialogue_support"  # the summary's "Add my account to this one"
    MODAL_INPUT = "input"  # every modal input's action_id; the block_id names the field
    CARD_ACKNOWLEDGE = "card_acknowledge"
    CARD_ACTIONED = "card_actioned"
    CARD_DECLINE = "card_decline"
    CARD_REROUTE = "card_reroute"
    DISCOVERY_EDIT = "discovery_edit"  # value: the discovery id (receipt button, card menu)
    DISCOVERY_WITHDRAW = "discovery_withdraw"
    CONFIG_OPEN = "config_open"  # the admin's "Change settings" on the Home tab
    CARD_MORE = "card_more"  # the card's overflow menu: "edit:42", "withdraw:42", "themes:42"
    DIGEST_SCOUT_OFF = "digest_scout_off"  # in a scout's weekly DM: stop these digests
    DIGEST_SCOUT_ON = "digest_scout_on"  # on the App Home: start them again
    ACCOUNT_ALERTS_OFF = "account_alerts_off"  # in an owner's DM: no more DMs about my accounts
    ACCOUNT_ALERTS_ON = "account_alerts_on"  # on the App Home: again
    ACCOUNT_MERGE = "account_merge"  # an admin's "Merge accounts" on the App Home
    FOLLOW_UP_STAGE = "follow_up_stage"  # + ":" + stage id: a stage button in a follow-up DM
    THEME_ADD = "theme_add"  # a suggested theme's "Add theme" in the product digest


class BlockId(StrEnum):
    """block_id of blocks the app reads back, or suffixes of them."""

    ROUTES = "routes"
    ANSWERED_PREFIX = "answered:"  # + question key: a clicked question, its answer shown
    QUALITY = "quality"  # the summary's completeness line
    AMOUNT_SUFFIX = ":amount"
    PRESSURE_SUFFIX = ":pressure"
    OWNER_SUFFIX = ":owner"
    CARD_STATUS = "card_status"
    CARD_OTHERS = "card_others"
    CARD_ACTIONS = "card_actions"
    STATUS_OUTCOME = "status_outcome"
    STATUS_NOTE = "status_note"
    DECLINE_REASON = "decline_reason"
    STATUS_LINK = "status_link"
    REROUTE_TO = "reroute_to"
    REROUTE_HOW = "reroute_how"
    CONFIG_CHANNEL_PREFIX = "config_channel:"  # + role
    CONFIG_SCHEDULE = "config_schedule"
    CONFIG_NUDGE = "config_nudge"
    CONFIG_TIMEZONE = "config_timezone"
    CONFIG_HOLIDAYS = "config_holidays"
    CONFIG_ADMINS = "config_admins"
    CONFIG_COACHES = "config_coaches"
    MERGE_SOURCE = "merge_source"  # the account that goes
    MERGE_TARGET = "merge_target"  # the account that stays
    FOLLOW_UP_DATE = "follow_up_date"  # the Actioned modal: when to ask how it went
    STAGE_AMOUNT = "stage_amount"  # a stage's modal: the amount won
    STAGE_REASON = "stage_reason"  # … why it was lost
    STAGE_LINK = "stage_link"  # … the release or the published piece
    LOOKALIKE = "lookalike"  # the summary's open discovery with the same outcome
    JOIN = "join"  # the routes modal's choice: a new discovery, or join the look-alike
    MERGE_WITH = "merge_with"  # the merge modal's other discovery (its #id)
    THEMES = "themes"  # the Themes… form's pick


class CallbackId(StrEnum):
    """callback_id of shortcuts and views."""

    LOG_DISCOVERY_SHORTCUT = "log_value_discovery"
    DISCOVERY_MODAL = "discovery_modal"
    DISCOVERY_ROUTES = "discovery_routes"
    STATUS_ACTIONED = "status_actioned"
    STATUS_DECLINED = "status_declined"
    STATUS_REROUTED = "status_rerouted"
    DISCOVERY_EDIT = "discovery_edit"
    DISCOVERY_WITHDRAW = "discovery_withdraw"
    CONFIG = "config"
    ACCOUNT_MERGE = "account_merge"  # pick the two accounts
    ACCOUNT_MERGE_CONFIRM = "account_merge_confirm"  # merge them
    FOLLOW_UP_STAGE = "follow_up_stage"  # a stage that needs an amount, a reason or a link
    DISCOVERY_MERGE = "discovery_merge"  # a card's "Merge with…": the other discovery's number
    DISCOVERY_THEMES = "discovery_themes"  # a card's Themes… form


def action_value(dialogue_id: int, key: str, value: str = "") -> str:
    """A button's value: which dialogue and question it belongs to, so a stale click is harmless."""
    return f"{dialogue_id}:{key}:{value}"


def parse_action_value(raw: str) -> tuple[int, str, str]:
    """The dialogue id, question key and value from action_value()."""
    dialogue_id, key, value = raw.split(":", 2)
    return int(dialogue_id), key, value
