"""The closed vocabularies stored in the database, as str enums (VARCHAR columns)."""

from enum import StrEnum


class Persona(StrEnum):
    """Who at the customer wants the outcome."""

    EXECUTIVE = "executive"
    DEPARTMENT_MANAGER = "department_manager"
    END_USER = "end_user"
    TECHNICAL_OWNER = "technical_owner"
    OTHER = "other"


class ValueBand(StrEnum):
    """Estimated yearly value of an outcome to the customer."""

    UNDER_10K = "under_10k"
    FROM_10K_TO_100K = "10k_100k"
    FROM_100K_TO_1M = "100k_1m"
    OVER_1M = "over_1m"
    UNKNOWN = "unknown"


class Fit(StrEnum):
    """Whether our offer can deliver the outcome today."""

    YES = "yes"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    NOT_SURE = "not_sure"


class DiscoveryStatus(StrEnum):
    """Where a discovery is in its loop."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ACTIONED = "actioned"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class DiscoverySource(StrEnum):
    """The Slack surface a discovery was logged from."""

    DM = "dm"
    MODAL = "modal"
    SHORTCUT = "shortcut"


class DialogueStatus(StrEnum):
    """The life of a dialogue with a scout."""

    OPEN = "open"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    """Delivery state of an outbox message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class DigestRunStatus(StrEnum):
    """State of one digest for one channel and period."""

    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"


class Outcome(StrEnum):
    """What came of an actioned discovery (a status change's outcome kind)."""

    OPPORTUNITY = "opportunity"
    CONTENT = "content"
    ROADMAP = "roadmap"
    TRAINING = "training"
    OTHER = "other"
