"""All table models; importing this package registers every table on SQLModel.metadata."""

from storage.models.base import NAMING_CONVENTION, metadata
from storage.models.discoveries import DialogueSession, Discovery, DiscoveryRoute, StatusChange
from storage.models.operations import (
    AppSetting,
    DigestRun,
    OutboxMessage,
    ProcessedRequest,
    RouteChannel,
    SchedulerHeartbeat,
)

__all__ = [
    "NAMING_CONVENTION",
    "AppSetting",
    "DialogueSession",
    "DigestRun",
    "Discovery",
    "DiscoveryRoute",
    "OutboxMessage",
    "ProcessedRequest",
    "RouteChannel",
    "SchedulerHeartbeat",
    "StatusChange",
    "metadata",
]
