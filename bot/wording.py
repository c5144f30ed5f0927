"""The short sentences and labels the bot says, by name: prompts/texts.yaml, as data.

Longer messages with layout are Jinja templates in prompts/messages; these are the notices,
button labels and titles that were once string literals in Python. A text names the values
it is given as {name} (Python's str.format). A deployment's copy must hold every name the
shipped file has, and may use only the values the shipped text of that name uses.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import prompts

FILE = "texts.yaml"


class WordingError(Exception):
    """texts.yaml is wrong; the message names the file and the key."""


class Said(str):
    """A text as `say` filled it in, remembering its template and values: whoever posts it
    escapes only the values (user text among them), so the text's own mrkdwn (`help`,
    *bold*) still formats. Any string operation on it gives a plain str, escaped whole."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: dict[str, object]) -> Said:
        said = super().__new__(cls, template.format(**values))
        said.template, said.values = template, values
        return said


def say(name: str, **values: object) -> Said:
    """The text called `name` of the prompts in use, with the values filled in."""
    return Said(_texts_at(prompts.location())[name], values)


@cache
def _texts_at(location: Path | None) -> dict[str, str]:
    return load_texts()


def load_texts(path: Path | None = None) -> dict[str, str]:
    """Read and check texts.yaml: of the prompts in use unless a path is given."""
    data, source = prompts.load_mapping(FILE, path=path, error=WordingError)
    return _checked(data, source)


@cache
def shipped_texts() -> dict[str, str]:
    """The texts shipped in the package, whatever copy is in use."""
    return _checked(prompts.parse(prompts.packaged(FILE)), f"prompts/{FILE}")


def _checked(data: object, source: str) -> dict[str, str]:
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, dict) or not texts:
        raise WordingError(f"{source}: texts: expected a mapping of names to texts")
    for name, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise WordingError(f"{source}: texts.{name}: expected some text")
        _fields(text, f"{source}: texts.{name}")
    return {str(name): text.rstrip("\n") for name, text in texts.items()}  # a lead space counts


def check_copy(path: Path) -> None:
    """A copy holds every shipped name, each using only the values the shipped text uses."""
    copy = load_texts(path)
    for name, text in shipped_texts().items():
        where = f"{path}: texts.{name}"
        if name not in copy:
            raise WordingError(f"{where}: missing (the shipped file has it: {text!r})")
        unknown = _fields(copy[name], where) - _fields(text, where)
        if unknown:
            known = ", ".join(sorted(_fields(text, where))) or "none"
            raise WordingError(f"{where}: {{{sorted(unknown)[0]}}} is not given (given: {known})")


def _fields(text: str, where: str) -> set[str]:
    """The {names} a text uses; a stray brace is an error."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}
    except ValueError as problem:
        raise WordingError(f"{where}: {problem} (write {{{{ and }}}} for a brace)") from None
