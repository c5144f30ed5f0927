"""Filling a modal from the terminal: its inputs numbered, typed answers, the state Slack sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MULTIPLE = ("checkboxes", "multi_static_select")  # elements whose value is a list of options
USERS = "multi_users_select"  # a list of user ids, typed as U0DANA,U0ADMIN
LISTED = 12  # choices a form field lists in full; a longer list shows its first ones and a count


@dataclass(frozen=True)
class Field:
    """One input of a modal, as the demo numbers it."""

    number: int
    block_id: str
    action_id: str
    label: str
    kind: str  # plain_text_input, static_select, checkboxes, datepicker, conversations_select
    # (multi_static_select reads as checkboxes do: a list of values)
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    optional: bool = False
    initial: Any = None  # what the form is prefilled with
    min_length: int | None = None
    max_length: int | None = None

    def describe(self) -> str:
        """'2. What came of it: Opportunity | Content …' as the demo prints it."""
        labels = [label for _value, label in self.options]
        if len(labels) > LISTED:  # a long list (time zones) as the client's type-ahead hints it
            labels = [*labels[: LISTED // 2], f"… {len(labels)} choices: type one"]
        choices = " | ".join(labels)
        hint = {
            "datepicker": "a date, YYYY-MM-DD",
            "conversations_select": "a channel, e.g. #sales",
            USERS: "user ids, e.g. U0ADMIN,U0DANA",
        }
        extra = choices or hint.get(self.kind, "text")
        now = f" (now: {self.shown()})" if self.initial not in (None, "", []) else ""
        return f"{self.number}. {self.label}{' (optional)' if self.optional else ''}: {extra}{now}"

    def shown(self) -> str:
        """The prefilled value as the form shows it: an option by its label."""
        labels = dict(self.options)
        values = self.initial if isinstance(self.initial, list) else [self.initial]
        return ", ".join(str(labels.get(value, value)) for value in values)


def fields_of(view: dict) -> list[Field]:
    """The modal's inputs, numbered from 1 in the order they appear."""
    inputs = [block for block in view.get("blocks", []) if block.get("type") == "input"]
    return [_field(number, block) for number, block in enumerate(inputs, start=1)]


def typed_value(field: Field, typed: str) -> Any:
    """What the person typed, as the element would hold it; None if no option matches."""
    typed = typed.strip()
    if field.kind in MULTIPLE:
        picks = [part for part in typed.split(",") if part.strip()]
        values = [_option(field, pick) for pick in picks]
        return None if None in values else values
    if field.kind == USERS:
        return [part.strip().lstrip("@") for part in typed.split(",") if part.strip()]
    if field.kind == "static_select":
        return _option(field, typed)
    return typed


def refusals(view: dict, answers: dict[str, Any]) -> list[tuple[Field, str]]:
    """Why the Slack client would not send Submit yet: required fields empty, text too long."""
    found = []
    for field in fields_of(view):
        value = answers.get(field.block_id, field.initial)
        text = value if isinstance(value, str) else ""
        if not field.optional and _empty(value):
            found.append((field, "Please fill out this field."))
        elif text and field.max_length and len(text) > field.max_length:
            found.append((field, f"Must be {field.max_length} characters or fewer."))
        elif text and field.min_length and len(text) < field.min_length:
            found.append((field, f"Must be at least {field.min_length} characters."))
    return found


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def view_state(view: dict, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`view.state.values` on Submit: every input as prefilled, unless answered here."""
    values = {}
    for field, block in zip(fields_of(view), _inputs(view), strict=True):
        element = block["element"]
        value = answers[field.block_id] if field.block_id in answers else _initial(element)
        values[field.block_id] = {field.action_id: _leaf(element, value)}
    return values


def _field(number: int, block: dict) -> Field:
    element = block["element"]
    options = tuple((o["value"], o["text"]["text"]) for o in _options(element))
    return Field(
        number=number, block_id=block["block_id"], action_id=element["action_id"],
        label=block["label"]["text"], kind=element["type"], options=options,
        optional=bool(block.get("optional")), initial=_initial(element),
        min_length=element.get("min_length"), max_length=element.get("max_length"),
    )  # fmt: skip


def _option(field: Field, typed: str) -> str | None:
    """The option whose value or label starts with what was typed (case aside)."""
    wanted = typed.strip().lower()
    for value, label in field.options:
        if wanted and (value.lower() == wanted or label.lower().startswith(wanted)):
            return value
    return None


def _options(element: dict) -> list[dict]:
    """A select's options, whether listed or in option groups."""
    grouped = [o for group in element.get("option_groups", []) for o in group["options"]]
    return element.get("options", []) + grouped


def _inputs(view: dict) -> list[dict]:
    return [block for block in view.get("blocks", []) if block.get("type") == "input"]


def _initial(element: dict) -> Any:
    kind = element["type"]
    if kind == "static_select":
        return (element.get("initial_option") or {}).get("value")
    if kind in MULTIPLE:
        return [o["value"] for o in element.get("initial_options") or []]
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "conversations_select":
        return element.get("initial_conversation")
    if kind == USERS:
        return list(element.get("initial_users") or [])
    return element.get("initial_value")


def _leaf(element: dict, value: Any) -> dict[str, Any]:
    """One element's state, shaped as Slack sends it."""
    kind = element["type"]
    if kind == "static_select":
        option = next((o for o in _options(element) if o["value"] == value), None)
        return {"type": kind, "selected_option": option}
    if kind in MULTIPLE:
        chosen = value or []
        return {"type": kind, "selected_options": [o for o in element["options"] if o["value"] in chosen]}  # fmt: skip
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == USERS:
        return {"type": kind, "selected_users": list(value or [])}
    return {"type": kind, "value": value}
