"""Dialogue definitions and message templates, as data an admin can edit (shipped in the package)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read(name: str) -> str:
    """A file of this package as text (works from a wheel as from a checkout)."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


def load_list(
    name: str, key: str, *, path: Path | None, error: type[Exception]
) -> tuple[list[Any], str]:
    """The non-empty list under `key` in a YAML file of this package (or at `path`), and its name.

    Every problem raises `error` with a message that starts with the file's name, so an
    admin's mistake is one line that says where to look.
    """
    source = str(path) if path else f"prompts/{name}"
    text = (
        path.read_text("utf-8")
        if path
        else resources.files(__name__).joinpath(name).read_text("utf-8")
    )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise error(f"{source}: not valid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not data[key]:
        raise error(f"{source}: {key}: expected a list of {key}")
    return data[key], source
