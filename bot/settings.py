"""Settings from environment variables (and an optional .env file); refuses unsafe combinations."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.working_days import WorkingCalendar, known_country

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{4,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{4,}$")
CURRENCY = re.compile(r"[A-Z]{3}")
LANGUAGE = re.compile(r"[a-z]{2}")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHEDULE = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})$")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A route's channel: VALUESCOUT_<ID>_CHANNEL for any route id of routing.yaml (the coaches'
# channel is a declared setting of its own).
ROUTE_CHANNEL = re.compile(r"VALUESCOUT_([A-Z][A-Z0-9_]*)_CHANNEL", re.IGNORECASE)
NOT_A_ROUTE = ("coach",)

# What each variable is for, so an error can say what to do.
HINTS = {
    "SLACK_BOT_TOKEN": "the bot token (xoxb-…) from your Slack app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the signing secret from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, for Socket Mode",
    "SLACK_CLIENT_ID": "the client id from your Slack app's Basic Information page (OAuth installs)",
    "SLACK_CLIENT_SECRET": "the client secret from your Slack app's Basic Information page",
    "SLACK_API_URL": "the Web API base URL, e.g. https://slack.com/api/",
    "DATABASE_URL": "e.g. sqlite:///valuescout.db or postgresql+psycopg://user:pass@host/db",
    "VALUESCOUT_ADMINS": "comma-separated Slack user ids, e.g. U012AB3CD,U045EF6GH",
    "VALUESCOUT_COACHES": "comma-separated Slack user ids, e.g. U012AB3CD (coach channel members count too)",
    "VALUESCOUT_TIMEZONE": "an IANA time zone name, e.g. Europe/Berlin",
    "VALUESCOUT_HOLIDAYS": "a country code whose public holidays are no working days, e.g. DE",
    "VALUESCOUT_DIGEST_SCHEDULE": "a day of the week and a time, e.g. 'mon 09:00'",
    "VALUESCOUT_WEBHOOK_URL": "the URL that receives events, e.g. https://hooks.example.com/vs",
    "VALUESCOUT_PROMPTS_DIR": "a directory holding a full copy of prompts/ (dialogue.yaml, …)",
    "VALUESCOUT_SCHEDULER": "on (the default) or off",
    "VALUESCOUT_BASE_CURRENCY": "a currency code of prompts/rates.yaml, e.g. USD (the default)",
    "VALUESCOUT_LANGUAGES": "comma-separated language codes for theme matching, e.g. en,de",
    "PORT": "the HTTP port of `web`, a number like 3000",
    "WEB_CONCURRENCY": "how many Gunicorn worker processes `web` runs, like 2",
    "VALUESCOUT_METRICS_PORT": "a port for /metrics in `worker` and `clock`, like 9100",
    "VALUESCOUT_API_TOKEN": "a long random secret, e.g. from `openssl rand -hex 32`",
    "VALUESCOUT_METRICS_TOKEN": "a long random secret, e.g. from `openssl rand -hex 32`",
    "LOG_FORMAT": "text (the default) or json",
}
MIN_TOKEN_LENGTH = 32  # the API and metrics tokens: guessing must be hopeless
# What each way of running against a real workspace needs, for the error that a partial set-up gets.
MODES = (
    "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; HTTP mode needs SLACK_BOT_TOKEN and"
    " SLACK_SIGNING_SECRET; installs by OAuth (several workspaces) need SLACK_CLIENT_ID,"
    " SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET; the demo needs none of them (see README:"
    " Which mode do I need?)"
)


class SettingsError(Exception):
    """A setting is missing, malformed or unsafe; the message names it and says what to do."""


@dataclass(frozen=True)
class DigestSchedule:
    """When digests go out: days of the week and a local time."""

    days: tuple[str, ...]
    hour: int
    minute: int

    @property
    def cron_day_of_week(self) -> str:
        """The days as APScheduler's CronTrigger day_of_week expression."""
        return ",".join(self.days)

    def __str__(self) -> str:
        return f"{','.join(self.days)} {self.hour:02d}:{self.minute:02d}"


def parse_schedule(text: str) -> DigestSchedule:
    """Parse 'mon 09:00', 'mon,thu 08:30', 'mon-fri 09:00' or 'daily 09:00'."""
    match = SCHEDULE.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not of the form 'mon 09:00'")
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} has no such time of day")
    return DigestSchedule(_parse_days(match["days"]), hour, minute)


def parse_weekly(text: str) -> DigestSchedule:
    """A digest schedule: digests are weekly, so one day and a time ('mon 09:00')."""
    schedule = parse_schedule(text)
    if len(schedule.days) != 1:
        raise ValueError(f"{text!r} names {len(schedule.days)} days; digests are weekly: one day")
    return schedule


def _parse_days(text: str) -> tuple[str, ...]:
    """Expand day names and ranges (mon-fri) into an ordered tuple of day keys."""
    if text == "daily":
        return DAYS
    days: list[str] = []
    for part in text.split(","):
        first, _, last = (key[:3] for key in part.partition("-"))
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"{part!r} is not a day of the week (mon … sun)")
        span = DAYS[DAYS.index(first) : DAYS.index(last) + 1] if last else (first,)
        days.extend(day for day in span if day not in days)
    return tuple(sorted(days, key=DAYS.index))


def _split_ids(value: object) -> object:
    """Accept a comma-separated string for an id list."""
    if isinstance(value, str):
        return frozenset(part.strip() for part in value.split(",") if part.strip())
    return value


class Settings(BaseSettings):
    """Every setting Value Scout reads; names are a public contract (see README)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    # OAuth installs (many workspaces, Enterprise Grid) instead of one SLACK_BOT_TOKEN.
    client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    client_secret: SecretStr | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    database_url: str = Field("sqlite:///valuescout.db", validation_alias="DATABASE_URL")
    # Route id → channel id, from every VALUESCOUT_<ID>_CHANNEL (see _gather_route_channels).
    channels_by_route: dict[str, str] = Field(default_factory=dict)
    coach_channel: str | None = Field(None, validation_alias="VALUESCOUT_COACH_CHANNEL")
    admins: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="VALUESCOUT_ADMINS"
    )
    # Who sees `/scout coach` besides the coach channel's members.
    coaches: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="VALUESCOUT_COACHES"
    )
    timezone: str = Field("UTC", validation_alias="VALUESCOUT_TIMEZONE")
    holidays: str | None = Field(None, validation_alias="VALUESCOUT_HOLIDAYS")
    digest_schedule: str = Field("mon 09:00", validation_alias="VALUESCOUT_DIGEST_SCHEDULE")
    webhook_url: str | None = Field(None, validation_alias="VALUESCOUT_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, validation_alias="VALUESCOUT_WEBHOOK_SECRET")
    prompts_dir: Path | None = Field(None, validation_alias="VALUESCOUT_PROMPTS_DIR")
    scheduler: bool = Field(True, validation_alias="VALUESCOUT_SCHEDULER")
    port: int = Field(3000, ge=1, le=65535, validation_alias="PORT")
    web_concurrency: int = Field(2, ge=1, le=64, validation_alias="WEB_CONCURRENCY")
    log_level: str | None = Field(None, validation_alias="LOG_LEVEL")
    log_format: str = Field("text", validation_alias="LOG_FORMAT")
    metrics_port: int | None = Field(
        None, ge=1, le=65535, validation_alias="VALUESCOUT_METRICS_PORT"
    )
    metrics_token: SecretStr | None = Field(None, validation_alias="VALUESCOUT_METRICS_TOKEN")
    api_token: SecretStr | None = Field(None, validation_alias="VALUESCOUT_API_TOKEN")

    @field_validator("log_format", mode="before")
    @classmethod
    def _known_format(cls, value: object) -> object:
        text = str(value or "text").strip().lower()
        if text not in ("text", "json"):
            raise ValueError(f"{value!r} is neither text nor json")
        return text

    @field_validator("api_token", "metrics_token", mode="before")
    @classmethod
    def _long_secret(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and len(value.strip()) < MIN_TOKEN_LENGTH:
            raise ValueError(f"is shorter than {MIN_TOKEN_LENGTH} characters")
        return value.strip() if isinstance(value, str) else value

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _blank_port(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    # Every value is also kept in this currency (rates in prompts/rates.yaml, checked at start).
    base_currency: str = Field("USD", validation_alias="VALUESCOUT_BASE_CURRENCY")
    # The languages discoveries are written in: themes match their word forms (stems).
    languages: Annotated[tuple[str, ...], NoDecode] = Field(
        ("en",), validation_alias="VALUESCOUT_LANGUAGES"
    )

    @field_validator("base_currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if not CURRENCY.fullmatch(value.strip().upper()):
            raise ValueError(f"{value!r} is not a currency code like USD or EUR")
        return value.strip().upper()

    @field_validator("languages", mode="before")
    @classmethod
    def _language_codes(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
        if not value or any(not LANGUAGE.fullmatch(str(code)) for code in value):  # type: ignore[union-attr]
            raise ValueError(f"{value!r} is not a list of language codes like en,de")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR")
        if value and value.strip().upper() not in levels:
            raise ValueError(f"{value!r} is not one of {', '.join(levels)}")
        return value.strip().upper() if value else None

    @field_validator("scheduler", mode="before")
    @classmethod
    def _on_or_off(cls, value: object) -> object:
        if isinstance(value, str):
            words = {"on": True, "off": False, "": True}
            if value.strip().lower() not in words:
                raise ValueError(f"{value!r} is neither on nor off")
            return words[value.strip().lower()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The usual sources, plus every VALUESCOUT_<ID>_CHANNEL of the process environment
        (the environment source reads only declared names; a route id is data)."""
        channels = _RouteChannelVariables(settings_cls)
        return init_settings, env_settings, channels, dotenv_settings, file_secret_settings

    @model_validator(mode="before")
    @classmethod
    def _gather_route_channels(cls, data: Any) -> Any:
        """Collect VALUESCOUT_<ID>_CHANNEL names into channels_by_route, checking each id."""
        if not isinstance(data, dict):
            return data
        found: dict[str, str] = {}
        # The environment and .env arrive lower-cased, after their precedence is applied;
        # arguments keep their case and come last, so they win (as they do for other fields).
        for name in sorted(data, key=lambda key: str(key).isupper()):
            match = ROUTE_CHANNEL.fullmatch(str(name))
            if match and match[1].lower() not in NOT_A_ROUTE:
                value = data.pop(name)
                if value and not CHANNEL_ID.match(str(value)):
                    raise ValueError(
                        f"{str(name).upper()} is not a Slack channel id (like C0123ABCD)"
                    )
                found[match[1].lower()] = value
        data["channels_by_route"] = {route: channel for route, channel in found.items() if channel}
        return data

    @field_validator(
        "bot_token",
        "signing_secret",
        "app_token",
        "client_id",
        "client_secret",
        "prompts_dir",
        "webhook_url",
        "webhook_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("coach_channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value and not CHANNEL_ID.match(value):
            raise ValueError("is not a Slack channel id (like C0123ABCD)")
        return value or None

    @field_validator("admins", "coaches", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        value = _split_ids(value)
        bad = sorted(uid for uid in value if not USER_ID.match(uid))  # type: ignore[union-attr]
        if bad:
            raise ValueError(f"has {', '.join(bad)}, which is not a Slack user id (like U012AB3CD)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone name") from None
        return value

    @field_validator("holidays")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not known_country(value.strip()):
            raise ValueError(f"{value!r} is not a country code the holidays package knows")
        return value.strip().upper() if value else None

    @field_validator("digest_schedule")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        parse_weekly(value)
        return value

    @field_validator("api_url")
    @classmethod
    def _safe_api_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise ValueError("sends the bot token in clear text; use https (http only on loopback)")
        return value if value.endswith("/") else value + "/"

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        parts = urlsplit(value or "")
        if value and (parts.scheme not in ("https", "http") or not parts.hostname):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _webhook_pair(self) -> Settings:
        if (self.webhook_url is None) != (self.webhook_secret is None):
            raise ValueError(
                "VALUESCOUT_WEBHOOK_URL and VALUESCOUT_WEBHOOK_SECRET go together: set both or neither"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The workspace's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def calendar(self) -> WorkingCalendar:
        """Which days are working days: weekdays, without the country's public holidays."""
        return WorkingCalendar(self.holidays)

    @property
    def schedule(self) -> DigestSchedule:
        """The parsed digest schedule."""
        return parse_schedule(self.digest_schedule)

    @property
    def route_channels(self) -> dict[str, str | None]:
        """The initial route → channel map from the environment (and the coaches' channel)."""
        return {**self.channels_by_route, "coach": self.coach_channel}

    @property
    def workspace_configured(self) -> bool:
        """True when there are credentials for a real workspace (HTTP or Socket Mode)."""
        return self.bot_token is not None and (
            self.signing_secret is not None or self.app_token is not None
        )

    @property
    def oauth_configured(self) -> bool:
        """True when workspaces install the app by OAuth (SLACK_CLIENT_ID and its secret)."""
        return self.client_id is not None or self.client_secret is not None

    @property
    def authorization_url(self) -> str:
        """Slack's install page, on the host of SLACK_API_URL (the emulator's, in tests)."""
        parts = urlsplit(self.api_url)
        return f"{parts.scheme}://{parts.netloc}/oauth/v2/authorize"

    @property
    def mode(self) -> str:
        """ "socket", "http", "oauth" (HTTP mode, installed by OAuth in any number of
        workspaces) or "demo" (none of the Slack secrets); a partial set is refused."""
        if self.oauth_configured:
            return self._oauth_mode()
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        given = {"SLACK_BOT_TOKEN": self.bot_token, "SLACK_SIGNING_SECRET": self.signing_secret}
        given["SLACK_APP_TOKEN"] = self.app_token
        present = [name for name, value in given.items() if value is not None]
        if not present:
            return "demo"
        missing = "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET" if self.bot_token else "SLACK_BOT_TOKEN"
        raise SettingsError(
            f"Slack is set up only in part: {' and '.join(present)} set, {missing} missing. {MODES}."
        )

    def _oauth_mode(self) -> str:
        """OAuth installs: the client id and secret together, over HTTP, with no bot token."""
        if self.client_id is None or self.client_secret is None:
            given = "SLACK_CLIENT_ID" if self.client_id else "SLACK_CLIENT_SECRET"
            raise SettingsError(
                f"Slack is set up only in part: {given} set without the other. {MODES}."
            )
        if self.bot_token is not None or self.app_token is not None:
            raise SettingsError(
                "SLACK_CLIENT_ID is for installs by OAuth, where each workspace's token is kept"
                " in the database; SLACK_BOT_TOKEN and SLACK_APP_TOKEN are for one workspace."
                " Set one or the other."
            )
        if self.signing_secret is None:
            raise SettingsError(
                f"SLACK_SIGNING_SECRET is not set: installs by OAuth need {HINTS['SLACK_SIGNING_SECRET']}."
            )
        return "oauth"


class _RouteChannelVariables(PydanticBaseSettingsSource):
    """VALUESCOUT_<ID>_CHANNEL variables of the process environment, whatever the id."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return {name.lower(): value for name, value in os.environ.items()
                if ROUTE_CHANNEL.fullmatch(name)}  # fmt: skip


def read_settings(**overrides: object) -> Settings:
    """Read the settings, turning every problem into one clear SettingsError (the prompts they
    name are taken into use by bot.bootstrap.load_settings, which the commands call)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


def require(settings: Settings, *names: str, purpose: str) -> None:
    """Refuse to start `purpose` without the named secrets."""
    fields = {"SLACK_BOT_TOKEN": "bot_token", "SLACK_SIGNING_SECRET": "signing_secret"}
    fields["SLACK_APP_TOKEN"] = "app_token"
    for name in names:
        if getattr(settings, fields[name]) is None:
            raise SettingsError(f"{name} is not set: {purpose} needs {HINTS[name]}.")


def _describe(error: ValidationError) -> str:
    """One line per problem, naming the variable; never echo the value of a secret."""
    lines = []
    for problem in error.errors():
        # pydantic's own words start "Input should be …": the variable is the input here.
        message = problem["msg"].removeprefix("Value error, ").replace("Input should", "should")
        if not problem["loc"]:  # a check of several variables names them itself
            lines.append(f"{message}.")
            continue
        name = str(problem["loc"][0])
        hint = HINTS.get(name)
        lines.append(f"{name} {message}" + (f"; expected {hint}." if hint else "."))
    return "\n".join(lines)
