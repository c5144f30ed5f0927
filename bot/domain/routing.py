"""Suggest the teams a discovery goes to, from rules an admin edits (prompts/routing.yaml)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.domain.money import current_money
from bot.routes import Route, Routes, RoutesError, load_routes
from prompts import load_list, rebuilt_when_changed
from storage.enums import Fit, Persona, ValueBand

DEFAULT_FILE = "routing.yaml"
CHOICE_FACTS: dict[str, type[StrEnum]] = {"fit": Fit, "who_cares": Persona, "value": ValueBand}
PRESENCE_FACTS = ("value_money", "value", "event", "who_cares", "evidence", "evidence_url")
PRESENCE_CONDITIONS = ("any_present", "all_present")
# Conditions on what the answers are worth and how soon: numbers, read with Facts.
MEASURE_CONDITIONS = ("value_at_least", "event_within_days")
PLACEHOLDERS = ("fit", "who_cares", "value", "days")
RULE_FIELDS = ("route", "when", "reason")
BY_HAND = "Chosen by the scout."


# One error for all of routing.yaml, routes and rules: it names the file and the key.
RoutingError = RoutesError


@dataclass(frozen=True)
class Facts:
    """What the answers mean beyond their words, worked out by the caller: the yearly value in
    the base currency (a band at its midpoint; None when unknown) and today's date."""

    yearly_value: float | None = None
    today: date | None = None
    value_spoken: str = ""  # the value as people read it, for a reason ("≈ $250k")

    def days_to_event(self, answers: dict[str, Any]) -> int | None:
        """Days from today to the compelling event's date; None without both."""
        event = answers.get("event")
        if self.today is None or not isinstance(event, dict) or not event.get("date"):
            return None
        return (date.fromisoformat(str(event["date"])) - self.today).days


NO_FACTS = Facts()


def facts_of(answers: dict[str, Any], *, today: date) -> Facts:
    """What the answers are worth a year in the base currency (a band at its midpoint, shown
    as approximate) and today's date, for the rules that follow the money."""
    money = current_money()
    value = answers.get("value") if isinstance(answers.get("value"), dict) else {}
    try:
        amount = Decimal(str(value["amount"])) if "amount" in value else None
    except (InvalidOperation, ValueError):
        amount = None
    worth = money.value(band=value.get("band"), amount=amount, currency=value.get("currency"))
    if worth is None:
        return Facts(today=today)
    spoken = money.show(worth) if amount is not None else f"≈ {money.show(worth)}"
    return Facts(yearly_value=float(worth), today=today, value_spoken=spoken)


@dataclass(frozen=True)
class When:
    """Conditions on the answers that must all hold."""

    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (answer key, accepted values)
    any_present: tuple[str, ...] = ()
    all_present: tuple[str, ...] = ()
    value_at_least: float | None = None  # yearly, in the base currency
    event_within_days: int | None = None  # from today, the event not yet past

    def holds(self, answers: dict[str, Any], facts: Facts = NO_FACTS) -> bool:
        """True when every condition holds for these answers."""
        if not all(_choice_of(answers, key) in values for key, values in self.choices):
            return False
        if self.any_present and not any(_present(answers, f) for f in self.any_present):
            return False
        if not all(_present(answers, fact) for fact in self.all_present):
            return False
        return self._worth(facts) and self._soon(answers, facts)

    def _worth(self, facts: Facts) -> bool:
        if self.value_at_least is None:
            return True
        return facts.yearly_value is not None and facts.yearly_value >= self.value_at_least

    def _soon(self, answers: dict[str, Any], facts: Facts) -> bool:
        if self.event_within_days is None:
            return True
        days = facts.days_to_event(answers)
        return days is not None and 0 <= days <= self.event_within_days


@dataclass(frozen=True)
class Rule:
    """Suggest a route, for a reason, when the answers meet the conditions."""

    route: Route
    when: When
    reason: str

    def explain(self, answers: dict[str, Any], facts: Facts = NO_FACTS) -> str:
        """The reason with the answers filled in."""
        spoken = {key: _spoken(_choice_of(answers, key)) for key in ("fit", "who_cares")}
        days = facts.days_to_event(answers)
        spoken["value"] = facts.value_spoken or _spoken(None)
        spoken["days"] = str(days) if days is not None else _spoken(None)
        return self.reason.format(**spoken)


@dataclass(frozen=True)
class RoutingRules:
    """The routes and all routing rules, in file order."""

    rules: tuple[Rule, ...]
    routes: Routes
    source: str = DEFAULT_FILE


@dataclass(frozen=True)
class RouteSuggestion:
    """A team a discovery is suggested for, and why."""

    route: Route
    reason: str


def suggest_routes(
    rules: RoutingRules, answers: dict[str, Any], facts: Facts = NO_FACTS
) -> list[RouteSuggestion]:
    """The suggested routes in the routes' order, each with its first reason."""
    reasons: dict[Route, str] = {}
    for rule in rules.rules:
        if rule.route not in reasons and rule.when.holds(answers, facts):
            reasons[rule.route] = rule.explain(answers, facts)
    return [RouteSuggestion(route, reasons[route]) for route in rules.routes.ordered(reasons)]


def reason_for(
    rules: RoutingRules, answers: dict[str, Any], route: str, facts: Facts = NO_FACTS
) -> str:
    """Why a discovery goes to a route: the rule's reason, or that the scout chose it."""
    suggested = {s.route: s.reason for s in suggest_routes(rules, answers, facts)}
    return suggested.get(route, BY_HAND)


def _choice_of(answers: dict[str, Any], key: str) -> str | None:
    answer = answers.get(key)
    return answer.get("band") if isinstance(answer, dict) else answer


def _present(answers: dict[str, Any], fact: str) -> bool:
    if fact == "value_money":
        value = answers.get("value") or {}
        return "amount" in value or value.get("band") not in (None, ValueBand.UNKNOWN)
    return answers.get(fact) not in (None, "", [], {})


def _spoken(value: str | None) -> str:
    return value.replace("_", " ") if value else "not answered"


# --- loading ------------------------------------------------------------------------------------


@rebuilt_when_changed(DEFAULT_FILE)
def load_rules(path: Path | None = None) -> RoutingRules:
    """Read and check the routes and rules: of the prompts in use unless a path is given."""
    routes = load_routes(path)
    items, source = load_list(DEFAULT_FILE, "rules", path=path, error=RoutingError)
    rules = tuple(_rule(item, f"{source}: rules[{n}]", routes) for n, item in enumerate(items))
    _check_every_fit_routed(rules, source)
    return RoutingRules(rules, routes, source)


def _rule(item: Any, where: str, routes: Routes) -> Rule:
    if not isinstance(item, dict):
        raise RoutingError(f"{where}: expected a mapping with route, when and reason")
    _refuse_unknown(item, RULE_FIELDS, where)
    route = item.get("route")
    if route not in routes:
        raise RoutingError(f"{where}.route: {route!r} is not one of {', '.join(routes.ids)}")
    return Rule(route, _when(item.get("when") or {}, f"{where}.when"), _reason(item, where))


def _refuse_unknown(item: dict, known: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(item) - set(known))
    if unknown:
        raise RoutingError(f"{where}.{unknown[0]}: unknown field (known: {', '.join(known)})")


def _when(raw: Any, where: str) -> When:
    if not isinstance(raw, dict):
        raise RoutingError(f"{where}: expected conditions such as {{fit: [partly, not_yet]}}")
    _refuse_unknown(raw, (*CHOICE_FACTS, *PRESENCE_CONDITIONS, *MEASURE_CONDITIONS), where)
    choices = tuple(
        (key, _values(raw[key], CHOICE_FACTS[key], f"{where}.{key}"))
        for key in CHOICE_FACTS
        if key in raw
    )
    present = {
        key: _values(raw.get(key, []), PRESENCE_FACTS, f"{where}.{key}")
        for key in PRESENCE_CONDITIONS
    }
    return When(
        choices, present["any_present"], present["all_present"],
        value_at_least=_number(raw, "value_at_least", where),
        event_within_days=_number(raw, "event_within_days", where, whole=True),
    )  # fmt: skip


def _number(raw: dict, key: str, where: str, *, whole: bool = False) -> Any:
    """A condition's number: absent is None; anything but a positive number is an error."""
    if key not in raw:
        return None
    value = raw[key]
    kind = int if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
        example = "90" if whole else "100000"
        raise RoutingError(f"{where}.{key}: expected a number such as {example}, not {value!r}")
    return value


def _values(raw: Any, allowed: Any, where: str) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    names = [str(member) for member in allowed]
    for value in values:
        if isinstance(value, bool):  # YAML reads a bare yes/no as true/false
            raise RoutingError(f'{where}: {value!r} is not a value; write "yes" or "no" in quotes')
        if str(value) not in names:
            raise RoutingError(f"{where}: {value!r} is not one of {', '.join(names)}")
    return tuple(str(value) for value in values)


def _reason(item: dict, where: str) -> str:
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise RoutingError(f"{where}.reason: expected some text")
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(reason) if name is not None}
    except ValueError as error:
        raise RoutingError(f"{where}.reason: {error} (write {{{{ for a brace)") from None
    unknown = sorted(fields - set(PLACEHOLDERS))
    if unknown:
        raise RoutingError(
            f"{where}.reason: {{{unknown[0]}}} is not one of {', '.join(f'{{{p}}}' for p in PLACEHOLDERS)}"
        )
    return reason.strip()


def _check_every_fit_routed(rules: tuple[Rule, ...], source: str) -> None:
    """Each fit needs a rule that depends on nothing else, so a suggestion is never empty."""
    for fit in Fit:
        if not any(_routes_on_fit_alone(rule.when, fit) for rule in rules):
            raise RoutingError(
                f"{source}: rules: no rule routes fit {fit.value!r} on its own; "
                "add one with only a fit condition so every discovery reaches a team"
            )


def _routes_on_fit_alone(when: When, fit: Fit) -> bool:
    measured = when.value_at_least is not None or when.event_within_days is not None
    if when.any_present or when.all_present or measured:
        return False
    conditions = dict(when.choices)
    return set(conditions) <= {"fit"} and fit.value in conditions.get("fit", (fit.value,))
