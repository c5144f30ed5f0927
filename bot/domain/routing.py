"""Suggest the teams a discovery goes to, from rules an admin edits (prompts/routing.yaml)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.routes import Route, Routes, RoutesError, load_routes
from prompts import load_list
from storage.enums import Fit, Persona, ValueBand

DEFAULT_FILE = "routing.yaml"
CHOICE_FACTS: dict[str, type[StrEnum]] = {"fit": Fit, "who_cares": Persona, "value": ValueBand}
PRESENCE_FACTS = ("value_money", "value", "event", "who_cares", "evidence", "evidence_url")
PRESENCE_CONDITIONS = ("any_present", "all_present")
PLACEHOLDERS = ("fit", "who_cares")
RULE_FIELDS = ("route", "when", "reason")
BY_HAND = "Chosen by the scout."


# One error for all of routing.yaml, routes and rules: it names the file and the key.
RoutingError = RoutesError


@dataclass(frozen=True)
class When:
    """Conditions on the answers that must all hold."""

    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (answer key, accepted values)
    any_present: tuple[str, ...] = ()
    all_present: tuple[str, ...] = ()

    def holds(self, answers: dict[str, Any]) -> bool:
        """True when every condition holds for these answers."""
        if not all(_choice_of(answers, key) in values for key, values in self.choices):
            return False
        if self.any_present and not any(_present(answers, f) for f in self.any_present):
            return False
        return all(_present(answers, fact) for fact in self.all_present)


@dataclass(frozen=True)
class Rule:
    """Suggest a route, for a reason, when the answers meet the conditions."""

    route: Route
    when: When
    reason: str

    def explain(self, answers: dict[str, Any]) -> str:
        """The reason with the answers filled in."""
        spoken = {key: _spoken(_choice_of(answers, key)) for key in PLACEHOLDERS}
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


def suggest_routes(rules: RoutingRules, answers: dict[str, Any]) -> list[RouteSuggestion]:
    """The suggested routes in the routes' order, each with its first reason."""
    reasons: dict[Route, str] = {}
    for rule in rules.rules:
        if rule.route not in reasons and rule.when.holds(answers):
            reasons[rule.route] = rule.explain(answers)
    return [RouteSuggestion(route, reasons[route]) for route in rules.routes.ordered(reasons)]


def reason_for(rules: RoutingRules, answers: dict[str, Any], route: str) -> str:
    """Why a discovery goes to a route: the rule's reason, or that the scout chose it."""
    suggested = {s.route: s.reason for s in suggest_routes(rules, answers)}
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
    _refuse_unknown(raw, (*CHOICE_FACTS, *PRESENCE_CONDITIONS), where)
    choices = tuple(
        (key, _values(raw[key], CHOICE_FACTS[key], f"{where}.{key}"))
        for key in CHOICE_FACTS
        if key in raw
    )
    present = {
        key: _values(raw.get(key, []), PRESENCE_FACTS, f"{where}.{key}")
        for key in PRESENCE_CONDITIONS
    }
    return When(choices, present["any_present"], present["all_present"])


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
    if when.any_present or when.all_present:
        return False
    conditions = dict(when.choices)
    return set(conditions) <= {"fit"} and fit.value in conditions.get("fit", (fit.value,))
