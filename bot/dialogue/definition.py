"""Load and validate the dialogue definition (prompts/dialogue.yaml); errors name the file and key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import prompts
from prompts import load_list
from storage.enums import Fit, Persona, ValueBand

DEFAULT_FILE = "dialogue.yaml"
REQUIRED_KEYS = ("account", "outcome", "gap", "fit")
# An answer's key names it in the stored document, the export's field and CSV column, and
# Slack block ids: lowercase letters, digits and _, like a route id.
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
# The discovery's own record fields, and what the dialogue keeps beside the answers: a
# question of that name would collide with them in the export (or in the dialogue's JSON).
NOT_ANSWERS = ("routes",)  # kept with a dialogue's answers: the teams the scout ticked
RESERVED_KEYS = frozenset({
    "id", "created_at", "updated_at", "edited_at", "team_id", "scout_user_id", "account_id",
    "crm_id", "evidence_url", "value_band", "value_amount", "value_currency", "event_date",
    "event_pressure", "themes", "status", "source", "source_key", "routes", "history", "answers",
    "opener", "quality", "event_owner",
})  # fmt: skip
# Choices whose values are stored in enum columns: an admin may relabel them, not invent new ones.
STORED_CHOICES: dict[str, type[StrEnum]] = {"fit": Fit, "who_cares": Persona, "value": ValueBand}
MODAL_TEXT_LIMIT = 3000  # Slack's plain_text_input max_length
MOST_BOXES = 10  # Slack's most checkboxes in one element


class Kind(StrEnum):
    """How a question is answered."""

    TEXT = "text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    VALUE = "value"  # a band, or an amount with a currency
    DATE = "date"
    EVENT = "event"  # a date and the pressure behind it


# The answers that routing, digests and accounts read from columns keep the kind they are
# stored by; every other question may be added, removed or changed freely.
BUILT_IN_KINDS: dict[str, Kind] = {
    "account": Kind.TEXT, "outcome": Kind.TEXT, "gap": Kind.TEXT, "fit": Kind.CHOICE,
    "value": Kind.VALUE, "event": Kind.EVENT, "who_cares": Kind.CHOICE, "evidence": Kind.TEXT,
}  # fmt: skip


class DefinitionError(Exception):
    """The dialogue definition is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Choice:
    """One option of a choice question; `also`: other words a typed answer may name it by."""

    value: str
    label: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier answer is one of these values."""

    key: str
    any_of: tuple[str, ...]

    def holds(self, answers: dict[str, Any]) -> bool:
        """True when the answer to `key` is one of the values (any of them, for several; the
        band, for a value)."""
        answer = answers.get(self.key)
        if isinstance(answer, dict):
            answer = answer.get("band")
        if isinstance(answer, list):
            return any(value in self.any_of for value in answer)
        return answer in self.any_of


@dataclass(frozen=True)
class Question:
    """One question of the dialogue."""

    key: str
    kind: Kind
    label: str
    prompt: str
    required: bool = False
    help: str | None = None
    placeholder: str | None = None
    max_length: int | None = None
    multiline: bool = False
    in_dm: bool = True
    choices: tuple[Choice, ...] = ()
    currencies: tuple[str, ...] = ()
    when: Condition | None = None
    brief: bool | None = None  # None: short answers only (not multiline text)

    @property
    def in_brief(self) -> bool:
        """Shown in the one-line brief of answers under a receipt and on App Home."""
        return not self.multiline if self.brief is None else self.brief

    def applies(self, answers: dict[str, Any]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return self.when is None or self.when.holds(answers)

    def choice_label(self, value: str) -> str:
        """The label of a choice value (the value itself when unknown)."""
        return next((c.label for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class Definition:
    """The whole dialogue, in order."""

    questions: tuple[Question, ...]
    source: str = field(default=DEFAULT_FILE, compare=False)

    def question(self, key: str) -> Question:
        """The question with this key."""
        return next(q for q in self.questions if q.key == key)

    @property
    def dm_questions(self) -> tuple[Question, ...]:
        """The questions the DM conversation asks, in order."""
        return tuple(q for q in self.questions if q.in_dm)

    def unasked(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers no question of this definition asks (a removed question's, the source
        link of a shortcut): kept when a form replaces the answers it asks."""
        asked = {q.key for q in self.questions} | set(NOT_ANSWERS)
        return {k: v for k, v in answers.items() if k not in asked and not k.startswith("_")}

    def find(self, key: str) -> Question | None:
        """The question with this key, if the definition still asks it."""
        return next((q for q in self.questions if q.key == key), None)


def current_definition() -> Definition:
    """The definition of the prompts in use (read once per copy of prompts/)."""
    return _definition_at(prompts.location())


@cache
def _definition_at(location: Path | None) -> Definition:
    return load_definition()


@prompts.rebuilt_when_changed(DEFAULT_FILE)
def load_definition(path: Path | None = None) -> Definition:
    """Read and validate the definition: prompts/dialogue.yaml unless a path is given."""
    items, source = load_list(DEFAULT_FILE, "questions", path=path, error=DefinitionError)
    questions = tuple(_question(item, f"{source}: questions[{n}]") for n, item in enumerate(items))
    _check_whole(questions, source)
    return Definition(questions, source)


FIELDS = {
    "key", "kind", "label", "prompt", "required", "help", "placeholder", "max_length",
    "multiline", "in_dm", "choices", "currencies", "when", "brief",
}  # fmt: skip


def _question(item: Any, where: str) -> Question:
    """One question, checked field by field."""
    if not isinstance(item, dict):
        raise DefinitionError(f"{where}: expected a mapping with key, kind, label and prompt")
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        raise DefinitionError(
            f"{where}.{unknown[0]}: unknown field (known: {', '.join(sorted(FIELDS))})"
        )
    key = _key(item, where)
    where = f"{where} ({key})"
    kind = _kind(item, where)
    if BUILT_IN_KINDS.get(key, kind) != kind:
        raise DefinitionError(
            f"{where}.kind: {key} is stored as {BUILT_IN_KINDS[key]}; it cannot be {kind}"
        )
    question = Question(
        key=key,
        kind=kind,
        label=_text(item, "label", where),
        prompt=_text(item, "prompt", where),
        required=_flag(item, "required", where, False),
        help=_text(item, "help", where, optional=True),
        placeholder=_text(item, "placeholder", where, optional=True),
        max_length=_length(item, where),
        multiline=_flag(item, "multiline", where, False),
        in_dm=_flag(item, "in_dm", where, True),
        choices=_choices(item, where, kind),
        currencies=tuple(str(c).upper() for c in item.get("currencies", ())),
        when=_condition(item, where),
        brief=_flag(item, "brief", where, None),
    )
    _check_stored_choices(question, where)
    return question


def _text(item: dict, name: str, where: str, *, optional: bool = False) -> str | None:
    value = item.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(f"{where}.{name}: expected some text")
    return value.strip()


def _key(item: dict, where: str) -> str:
    key = _text(item, "key", where)
    if not KEY.fullmatch(key):
        raise DefinitionError(
            f"{where}.key: {key!r} is not a key: lowercase letters, digits and _, starting "
            "with a letter, at most 40"
        )
    if key in RESERVED_KEYS:
        raise DefinitionError(f"{where}.key: {key!r} is a field of every discovery; pick another")
    return key


def _flag(item: dict, name: str, where: str, default: bool | None) -> Any:
    value = item.get(name, default)
    if value is not default and not isinstance(value, bool):
        raise DefinitionError(f"{where}.{name}: expected true or false, not {value!r}")
    return value


def _kind(item: dict, where: str) -> Kind:
    try:
        return Kind(item.get("kind"))
    except ValueError:
        names = ", ".join(kind.value for kind in Kind)
        raise DefinitionError(f"{where}.kind: {item.get('kind')!r} is not one of {names}") from None


def _length(item: dict, where: str) -> int | None:
    value = item.get("max_length")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise DefinitionError(f"{where}.max_length: expected a whole number above 0, not {value!r}")
    return value


def _choices(item: dict, where: str, kind: Kind) -> tuple[Choice, ...]:
    raw = item.get("choices", [])
    needs = kind in (Kind.CHOICE, Kind.MULTI_CHOICE, Kind.VALUE)
    if needs and (not isinstance(raw, list) or not raw):
        raise DefinitionError(f"{where}.choices: a {kind} question needs a list of choices")
    choices = []
    for index, choice in enumerate(raw):
        if not isinstance(choice, dict) or not {"value", "label"} <= set(choice):
            raise DefinitionError(f"{where}.choices[{index}]: expected {{value: …, label: …}}")
        choices.append(Choice(str(choice["value"]), str(choice["label"]), _also(choice, where, index)))
    if len({c.value for c in choices}) != len(choices):
        raise DefinitionError(f"{where}.choices: two choices share a value")
    if kind is Kind.MULTI_CHOICE and len(choices) > MOST_BOXES:
        raise DefinitionError(
            f"{where}.choices: {len(choices)} choices; a multi_choice question has at most "
            f"{MOST_BOXES} (Slack shows that many checkboxes)"
        )
    return tuple(choices)


def _also(choice: dict, where: str, index: int) -> tuple[str, ...]:
    also = choice.get("also", [])
    if not isinstance(also, list) or not all(isinstance(word, str) and word.strip() for word in also):
        raise DefinitionError(f"{where}.choices[{index}].also: expected a list of words or phrases")
    return tuple(also)


def _condition(item: dict, where: str) -> Condition | None:
    raw = item.get("when")
    if raw is None:
        return None
    if not isinstance(raw, dict) or len(raw) != 1:
        raise DefinitionError(
            f"{where}.when: expected one answer and its values, e.g. {{fit: [yes]}}"
        )
    ((key, values),) = raw.items()
    values = values if isinstance(values, list) else [values]
    return Condition(str(key), tuple(str(v) for v in values))


def _check_stored_choices(question: Question, where: str) -> None:
    """Stored choice values must stay those of the database's vocabulary."""
    vocabulary = STORED_CHOICES.get(question.key)
    if vocabulary is None:
        return
    allowed = {member.value for member in vocabulary}
    for index, choice in enumerate(question.choices):
        if choice.value not in allowed:
            raise DefinitionError(
                f"{where}.choices[{index}].value: {choice.value!r} is not one of {', '.join(sorted(allowed))}"
            )


def _check_whole(questions: tuple[Question, ...], source: str) -> None:
    """Each key once; the required fields present and required; conditions refer backwards."""
    seen: list[str] = []
    for index, question in enumerate(questions):
        where = f"{source}: questions[{index}] ({question.key})"
        if question.key in seen:
            raise DefinitionError(f"{where}.key: {question.key!r} appears twice")
        if question.when and question.when.key not in {q.key for q in questions}:
            raise DefinitionError(
                f"{where}.when: {question.when.key!r} is not a question of this file"
            )
        if question.when and question.when.key not in seen:
            raise DefinitionError(
                f"{where}.when: {question.when.key!r} must be asked before this question"
            )
        if question.when:
            _check_condition_values(question.when, questions[seen.index(question.when.key)], where)
        if question.key in REQUIRED_KEYS and not question.required:
            raise DefinitionError(f"{where}.required: {question.key} is always required")
        seen.append(question.key)
    missing = [key for key in REQUIRED_KEYS if key not in seen]
    if missing:
        raise DefinitionError(f"{source}: questions: {', '.join(missing)} must be asked")


def _check_condition_values(condition: Condition, asked: Question, where: str) -> None:
    """A condition on a choice must name its values (YAML reads a bare yes as true)."""
    values = [choice.value for choice in asked.choices]
    for value in condition.any_of:
        if values and value not in values:
            raise DefinitionError(
                f"{where}.when.{condition.key}: {value!r} is not one of {', '.join(values)}"
                + (' (write "yes" in quotes)' if value in ("True", "False") else "")
            )
