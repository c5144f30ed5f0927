"""All table models; importing this package registers every table on SQLModel.metadata."""

from storage.models.accounts import Account
from storage.models.base import NAMING_CONVENTION, metadata
from storage.models.digest_trends import TrendWeek
from storage.models.discoveries import DialogueSession, Discovery, DiscoveryRoute, StatusChange
from storage.models.events import RecordedEvent
from storage.models.followthrough import FollowUp, StageChange
from storage.models.installs import SlackBot, SlackInstallation, SlackOAuthState, SlackTeam
from storage.models.operations import (
    AppSetting,
    ChannelPacing,
    DigestRun,
    OutboxMessage,
    ProcessedRequest,
    RouteChannel,
    SchedulerHeartbeat,
)
from storage.models.supporters import DiscoverySupporter
from storage.models.themes import ThemeAddition, ThemeCorrection

__all__ = [
    "NAMING_CONVENTION",
    "Account",
    "AppSetting",
    "ChannelPacing",
    "DialogueSession",
    "DigestRun",
    "Discovery",
    "DiscoveryRoute",
    "DiscoverySupporter",
    "FollowUp",
    "OutboxMessage",
    "ProcessedRequest",
    "RecordedEvent",
    "RouteChannel",
    "SchedulerHeartbeat",
    "SlackBot",
    "SlackInstallation",
    "SlackOAuthState",
    "SlackTeam",
    "StageChange",
    "StatusChange",
    "ThemeAddition",
    "ThemeCorrection",
    "TrendWeek",
    "metadata",
]
