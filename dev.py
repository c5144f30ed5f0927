#!/usr/bin/env python3
"""Set up and run Value Scout with nothing but Python 3.11+.

    python3 dev.py run     # the main job: Slack if configured, else the demo on the emulator
    python3 dev.py test    # lint and the whole test suite, on SQLite and PostgreSQL

The first run creates .venv and installs the project into it; later runs reinstall
only when pyproject.toml changes. Extra arguments go to `valuescout` or to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"


def main(argv: list[str]) -> int:
    """Dispatch `run` or `test`."""
    if sys.version_info < (3, 11):  # noqa: UP036 - any python3 may run this file
        print("Value Scout needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    if argv[0] == "run":
        return call([BIN / "valuescout", "start", *argv[1:]])
    return call([BIN / "ruff", "check", "."]) or call([BIN / "python", "-m", "pytest", *argv[1:]])


def ensure_environment() -> None:
    """Create .venv and install the project with its test extras when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing Value Scout and its dependencies into .venv …", flush=True)
    pip = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def call(command: list[object]) -> int:
    """Run a command from the project root, returning its exit code."""
    return subprocess.call([str(part) for part in command], cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
