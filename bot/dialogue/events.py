"""The dialogue's nouns: its state, the events a scout causes, and the effects to say."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.dialogue.definition import Question
from bot.domain.opener.lexicon import current_lexicon, fold, words_pattern
from bot.domain.routing import RouteSuggestion

EDITING_KEY = "_editing"  # kept beside the answers in the dialogue's JSON column
IN_FORM_KEY = "_in_form"
FOLLOW_UP_KEY = "_follow_up"
PENDING_KEY = "_pending"
# The answers a thin reply was challenged on, once each: kept with the answers (so every step
# carries it), never stored with the discovery (keys starting with _ are the dialogue's own).
CHALLENGED_KEY = "_challenged"


@dataclass(frozen=True)
class DialogueState:
    """Where a dialogue is: a question key, 'summary', 'submitted' or 'cancelled'; and the answers."""

    step: str
    answers: dict[str, Any] = field(default_factory=dict)
    editing: bool = False  # answering a question from the summary: go back there afterwards
    in_form: bool = False  # opened in a form: the DM has asked nothing yet
    follow_up: str | None = None  # asking more about the step's answer (see follow_ups.py)
    pending: Any = None  # an answer waiting for the scout's word (a date gone by)

    def dump(self) -> dict[str, Any]:
        """The JSON to store beside the step: the answers, and the flags that are set."""
        flags = {EDITING_KEY: self.editing, IN_FORM_KEY: self.in_form}
        more = {FOLLOW_UP_KEY: self.follow_up, PENDING_KEY: self.pending}
        return (
            dict(self.answers)
            | {key: True for key, on in flags.items() if on}
            | {key: value for key, value in more.items() if value is not None}
        )

    @classmethod
    def load(cls, step: str, data: dict[str, Any] | None) -> DialogueState:
        """The state stored by dump()."""
        answers = dict(data or {})
        editing = bool(answers.pop(EDITING_KEY, False))
        in_form = bool(answers.pop(IN_FORM_KEY, False))
        follow_up, pending = answers.pop(FOLLOW_UP_KEY, None), answers.pop(PENDING_KEY, None)
        return cls(step, answers, editing, in_form, follow_up, pending)

    def settled(self) -> DialogueState:
        """The state with no follow-up open."""
        return replace(self, follow_up=None, pending=None)


# --- events: what the scout did -----------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A typed DM message."""

    text: str


@dataclass(frozen=True)
class Pick:
    """A button or menu choice for a question: a choice value (a band value for a value question)."""

    key: str
    value: Any


@dataclass(frozen=True)
class Keep:
    """Keep the current answer and go on (a challenged one): typed as "keep it", or its button
    (`key`: the question it was shown for)."""

    key: str | None = None
    text: str = "keep it"


@dataclass(frozen=True)
class Skip:
    """Leave the current optional question out (`key`: the question whose button was clicked;
    None when typed)."""

    key: str | None = None


@dataclass(frozen=True)
class Back:
    """Go to the previous question (`key`: as for Skip)."""

    key: str | None = None


@dataclass(frozen=True)
class Cancel:
    """Drop the dialogue."""


@dataclass(frozen=True)
class Help:
    """Explain the current question."""


@dataclass(frozen=True)
class Edit:
    """Change one answer from the summary."""

    key: str


@dataclass(frozen=True)
class SetRoutes:
    """The teams the scout confirmed at the summary."""

    routes: tuple[str, ...]


@dataclass(frozen=True)
class Submit:
    """Send the discovery; `seen` is the version of the answers on the summary clicked."""

    seen: str | None = None


@dataclass(frozen=True)
class Resume:
    """Show again where the dialogue is (after a restart, or when a dialogue opens)."""


Event = Reply | Pick | Keep | Skip | Back | Cancel | Help | Edit | SetRoutes | Submit | Resume


# --- effects: what to show ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """Ask a question, or ask again with an error; `current` is the answer given earlier."""

    question: Question
    error: str | None = None
    current: Any = None
    challenge: str | None = None  # a thin answer's one friendly challenge, asked instead


@dataclass(frozen=True)
class AskMore:
    """A follow-up on the question's answer (follow_ups.py: who owns the event, whether a date
    gone by was meant); `value` is the answer it is about."""

    question: Question
    about: str
    value: Any
    prompt: str
    help: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) of a button each
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    """All answers with the suggested routes, ready to edit, route and submit."""

    answers: dict[str, Any]
    suggestions: tuple[RouteSuggestion, ...]


@dataclass(frozen=True)
class ShowHelp:
    """Explain a question (None: the summary)."""

    question: Question | None


@dataclass(frozen=True)
class Submitted:
    """The dialogue is done: the caller stores the discovery."""

    answers: dict[str, Any]


@dataclass(frozen=True)
class Cancelled:
    """The dialogue was dropped."""


@dataclass(frozen=True)
class Notice:
    """A short message beside the other effects."""

    text: str


@dataclass(frozen=True)
class AccountMatched:
    """The account the scout named: a known account (by its kept name), or a new one (None)."""

    typed: str
    known: str | None


Effect = Ask | AskMore | Summary | ShowHelp | Submitted | Cancelled | Notice | AccountMatched


@dataclass(frozen=True)
class Step:
    """The state after an event, and what to show."""

    state: DialogueState
    effects: tuple[Effect, ...]


def answers_version(answers: dict[str, Any]) -> str:
    """A short fingerprint of the answers a summary shows (the ticked teams aside: ticking a box
    does not post a new summary), so Submit on an outdated one can be told apart."""
    shown = {key: value for key, value in answers.items() if key != "routes"}
    data = json.dumps(shown, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:12]


COMMANDS: dict[str, type[Event]] = {
    "skip": Skip, "back": Back, "cancel": Cancel, "help": Help, "submit": Submit,
}  # fmt: skip


KEEP_WORDS = ("keep it", "keep", "keep it as is")


def interpret(text: str) -> Event:
    """A DM message as an event: a command word on its own, a hello (someone coming back: the
    dialogue shows where it is), or else a reply."""
    word = text.strip().rstrip(".!?").strip().lower()
    if word in KEEP_WORDS:
        return Keep(text=text)
    command = COMMANDS.get(word)
    if command:
        return command()
    return Resume() if _only_hellos(text) else Reply(text)


def _only_hellos(text: str) -> bool:
    hellos = current_lexicon().built(
        "hellos_only", lambda lex: re.compile(rf"(?:{words_pattern(lex.words('hellos'))}[\s,.!?]*)+")
    )
    return bool(hellos.fullmatch(fold(text.strip())))
