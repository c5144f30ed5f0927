"""read_opener: what a scout's first message says, as answers the dialogue can offer to keep."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.opener import people
from bot.domain.opener.accounts import KnownAccounts, find_account
from bot.domain.opener.gap import gap_of
from bot.domain.opener.lexicon import Lexicon, compiled, current_lexicon, words_pattern
from bot.domain.opener.money import plain_amount
from bot.domain.opener.outcome import outcome_of, want_clause
from bot.domain.opener.text import Story, read_story
from bot.domain.opener.value import sentence_of, value_of
from bot.domain.opener.when import When, find_dates


@dataclass(frozen=True)
class Reading:
    """What the opener says; every part optional but the opener itself, kept verbatim as evidence."""

    evidence: str
    account: str | None = None
    account_is_new: bool = False
    outcome: str | None = None
    gap: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    band: str | None = None
    event_date: date | None = None
    pressure: str | None = None
    event_owner: str | None = None
    who_cares: str | None = None

    def answers(self) -> dict[str, Any]:
        """The parts read, in the dialogue's stored answer format (only what was found)."""
        found: dict[str, Any] = {"evidence": self.evidence}
        if self.account:
            found["account"] = self.account
        if self.outcome:
            found["outcome"] = self.outcome
        if self.gap:
            found["gap"] = self.gap
        if self.amount is not None and self.currency:
            found["value"] = {"amount": plain_amount(self.amount), "currency": self.currency}
        elif self.band:
            found["value"] = {"band": self.band}
        if self.event_date:
            event = {"date": self.event_date.isoformat(), "pressure": self.pressure or ""}
            found["event"] = event | ({"owner": self.event_owner} if self.event_owner else {})
        if self.who_cares:
            found["who_cares"] = self.who_cares
        return found


def local_today(now: datetime, zone: tzinfo) -> date:
    """Today in the workspace's time zone: what relative dates count from."""
    return now.astimezone(zone).date()


def read_opener(
    text: str,
    *,
    today: date | None = None,
    zone: tzinfo | str | None = None,
    known_accounts: KnownAccounts | Mapping[str, Iterable[str]] | Iterable[Any] = (),
    lexicon: Lexicon | None = None,
) -> Reading:
    """Read an opener: account, outcome, value, compelling event and who cares (deterministic, local).

    Relative dates count from `today`, the date in the workspace's time zone; without it, today
    is read from the clock in `zone` (UTC if none), the one thing that is then not deterministic.
    """
    lexicon = lexicon or current_lexicon()
    if today is None:
        today = local_today(
            datetime.now(UTC), ZoneInfo(zone) if isinstance(zone, str) else zone or UTC
        )
    story = read_story(text, lexicon)
    if not isinstance(known_accounts, KnownAccounts):
        known_accounts = KnownAccounts(known_accounts)
    account = find_account(story, known_accounts, lexicon)
    event = _event(story, today, lexicon)
    amount, band = value_of(story, lexicon)
    roles = people.find_roles(
        story, lexicon, name=(account.start, account.end) if account else (0, 0)
    )
    near = (event.start, event.end) if event else _pressure_span(story, lexicon)
    outcome, gap = _outcome_and_gap(story, lexicon, _anchors(story, event, amount, lexicon), amount)
    return Reading(
        evidence=text,
        account=account.name if account else None,
        account_is_new=bool(account and not account.known),
        outcome=outcome,
        gap=gap,
        amount=Decimal(plain_amount(amount.value)) if amount and not amount.edge else None,
        currency=amount.currency if amount and not amount.edge else None,
        band=band,
        event_date=event.day if event else None,
        pressure=_pressure(story, event, lexicon),
        event_owner=people.event_owner(story, roles, near, lexicon),
        who_cares=people.who_cares(story, roles, lexicon),
    )


def _outcome_and_gap(
    story: Story, lexicon: Lexicon, anchors: list[tuple[str, int]], amount: Any
) -> tuple[str | None, str | None]:
    """The want clause, ending before how things stand today if the story says it after."""
    clause = want_clause(story, lexicon, amount)
    if clause is None:
        return None, None
    gap = gap_of(story, lexicon, want=clause, anchors=[at for _kind, at in anchors])
    outcome = outcome_of(
        story, lexicon, clause=clause, anchors=anchors, gap_at=gap.piece if gap else None
    )
    return outcome, story.text[gap.start : gap.end] if gap else None


def _anchors(
    story: Story, event: When | None, amount: Any, lexicon: Lexicon
) -> list[tuple[str, int]]:
    """What the outcome leaves out, by kind and place: the date, pressures, the value, a band."""
    anchors = [("date", event.start)] if event else []
    anchors += [("value", amount.start)] if amount else []
    anchors += [
        ("pressure", m.start()) for m in _pressures(lexicon).finditer(story.folded, story.start)
    ]
    bands = lexicon.built(
        "band_words", lambda lex: compiled(w for ws in lex.groups("bands").values() for w in ws)
    )
    return anchors + [("value", m.start()) for m in bands.finditer(story.folded, story.start)]


def _event(story: Story, today: date, lexicon: Lexicon) -> When | None:
    """The date of the compelling event: one beside a pressure first, then a deadline, then the first."""
    dates = [w for w in find_dates(story.folded, today, lexicon) if w.start >= story.start]
    if not dates:
        return None
    pressures = _pressures(lexicon)

    def rank(when: When) -> tuple[int, int]:
        start, end = sentence_of(story, when.start)
        return (-bool(pressures.search(story.folded, start, end)), when.start)

    return min(dates, key=rank)


def _pressures(lexicon: Lexicon) -> re.Pattern[str]:
    def build(lex: Lexicon) -> re.Pattern[str]:
        names = "|".join(
            words_pattern(words).replace("(?:", f"(?P<p{n}>", 1)
            for n, words in enumerate(lex.groups("pressures").values())
        )
        return re.compile(names)

    return lexicon.built("pressures", build)


def _pressure(story: Story, event: When | None, lexicon: Lexicon) -> str | None:
    """The pressure named in the event's sentence (the first label listed), or anywhere when no date is."""
    start, end = sentence_of(story, event.start) if event else (story.start, len(story.folded))
    found = list(_pressures(lexicon).finditer(story.folded, start, end))
    if not found:
        return None
    if event is not None:
        found.sort(key=lambda m: next(int(k[1:]) for k, v in m.groupdict().items() if v))
    labels = list(lexicon.groups("pressures"))
    index = next(int(k[1:]) for k, v in found[0].groupdict().items() if v)
    return labels[index]


def _pressure_span(story: Story, lexicon: Lexicon) -> tuple[int, int] | None:
    found = _pressures(lexicon).search(story.folded, story.start)
    return (found.start(), found.end()) if found else None
