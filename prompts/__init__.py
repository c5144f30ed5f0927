"""Dialogue definitions, routes and message templates, as data an admin can edit.

The package ships a complete set; a deployment may point the process at its own full copy
(VALUESCOUT_PROMPTS_DIR), chosen once at start-up with `use_directory`. Inside that copy, a
directory named by a workspace's team id (`T0123ABCD/`) holding a full copy of its own is that
workspace's: a request (or a delivery, or a job) for it reads its prompts from there, chosen
per thread of work with `use_workspace` (a context variable, so threads never mix them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml

_chosen: Path | None = None  # None: the copy shipped in this package
_workspaces: dict[str, Path] = {}  # team id → its own copy, inside the chosen one
_workspace: ContextVar[Path | None] = ContextVar("prompts_workspace", default=None)
TEAM_DIRECTORY = re.compile(r"T[A-Z0-9]{2,}")  # a Slack team id, as a directory's name
# libyaml's parser where PyYAML was built with it: the same safe loading, about eight times
# faster than the pure-Python one (value_network.yaml and opener.yaml took 0.12 s and 0.16 s
# each time a process, or a test, built the app).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeysLoader(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loading that refuses a key given twice in one mapping: YAML would keep the last
    silently, and an admin's (or a developer's) second `name:` would replace the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):  # only plain keys are compared
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def use_directory(directory: Path | None) -> None:
    """Read every prompt from `directory` from now on (None: the packaged copy), and each
    workspace's from its own directory inside it, where it has one."""
    global _chosen, _workspaces
    _chosen = Path(directory) if directory else None
    _workspaces = workspace_copies(_chosen) if _chosen else {}


def workspace_copies(directory: Path) -> dict[str, Path]:
    """The workspaces' own copies inside a copy of prompts/: team id → directory."""
    return {
        entry.name: entry
        for entry in sorted(directory.iterdir())
        if entry.is_dir() and TEAM_DIRECTORY.fullmatch(entry.name)
    }


def workspace_teams() -> list[str]:
    """The workspaces with a copy of their own in the copy in use."""
    return list(_workspaces)


def use_workspace(team_id: str | None) -> Token:
    """Read the prompts of this workspace in this thread (or context) of work from now on: its
    own copy, else the deployment's. Returns the token that `Token.reset` undoes it with."""
    return _workspace.set(_workspaces.get(team_id or ""))


@contextmanager
def for_workspace(team_id: str | None) -> Iterator[None]:
    """The prompts of this workspace within the block (a delivery, a job of one team)."""
    token = use_workspace(team_id)
    try:
        yield
    finally:
        _workspace.reset(token)


def reset_workspace(token: Token) -> None:
    """Undo a `use_workspace`."""
    _workspace.reset(token)


def workspace_copy_of(team_id: str) -> Path | None:
    """A workspace's own copy, if it has one."""
    return _workspaces.get(team_id)


def workspace_copy() -> Path | None:
    """The workspace's own copy in use here, if any (None: the deployment's)."""
    return _workspace.get()


def location() -> Path | None:
    """The directory in use, or None for the packaged copy (a key for per-copy caches)."""
    return _workspace.get() or _chosen


def files() -> Traversable:
    """The prompts in use, as a directory to read files from (a checkout, a wheel or a copy)."""
    chosen = location()
    return chosen if chosen else resources.files(__name__)


def source_name(name: str) -> str:
    """How an error names a file: prompts/<name>, or its path in a deployment's copy."""
    chosen = location()
    return str(chosen / name) if chosen else f"prompts/{name}"


def read(name: str) -> str:
    """A prompt file as text."""
    return files().joinpath(name).read_text("utf-8")


def packaged(name: str) -> str:
    """A file of the copy shipped in this package, whatever copy is in use."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


def load_list(
    name: str, key: str, *, path: Path | None, error: type[Exception]
) -> tuple[list[Any], str]:
    """The non-empty list under `key` in a prompt file (or the file at `path`), and its name.

    Every problem raises `error` with a message that starts with the file's name, so an
    admin's mistake is one line that says where to look.
    """
    data, source = load_mapping(name, path=path, error=error)
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not data[key]:
        raise error(f"{source}: {key}: expected a list of {key}")
    return data[key], source


Loaded = TypeVar("Loaded")


def rebuilt_when_changed(name: str) -> Callable[[Callable[..., Loaded]], Callable[..., Loaded]]:
    """Keep what a loader of the prompt file `name` built (`load(path=None, **options)`, its
    result immutable) until the text it reads changes: the file at `path`, or `name` in the
    copy in use. Every process and test that builds the app checked and built the same
    questions, routes and themes again (stemming the themes alone took tens of ms each time).
    Keyed by the text itself, not a file's time, so an edit is never missed."""

    def decorate(load: Callable[..., Loaded]) -> Callable[..., Loaded]:
        @functools.lru_cache(maxsize=8)
        def build(path: Path | None, _copy: Path | None, _text: str, options: tuple) -> Loaded:
            return load(path, **dict(options))

        @functools.wraps(load)
        def cached(path: Path | None = None, **options: Any) -> Loaded:
            try:
                text = path.read_text("utf-8") if path else read(name)
            except OSError:
                return load(path, **options)  # the loader says which file, and why
            return build(path, location(), text, tuple(sorted(options.items())))

        return cached

    return decorate


def parse(text: str) -> Any:
    """YAML text read safely (plain data only), as yaml.safe_load reads it."""
    return yaml.load(text, Loader=_UniqueKeysLoader)


def load_mapping(name: str, *, path: Path | None, error: type[Exception]) -> tuple[Any, str]:
    """A prompt file (or the file at `path`) read as YAML, and its name."""
    source = str(path) if path else source_name(name)
    try:
        text = path.read_text("utf-8") if path else read(name)
    except OSError as problem:
        raise error(f"{source}: cannot be read ({problem.strerror or problem})") from None
    try:
        data = parse(text)
    except yaml.YAMLError as problem:
        raise error(f"{source}: not valid YAML: {_one_line(problem)}") from None
    return data, source


def _one_line(problem: yaml.YAMLError) -> str:
    """PyYAML's message spans lines (with a caret drawing); an error here is one line."""
    mark = getattr(problem, "problem_mark", None)
    what = getattr(problem, "problem", None) or " ".join(str(problem).split())
    return f"{what} (line {mark.line + 1}, column {mark.column + 1})" if mark else what
