#!/usr/bin/env python3
"""Set up and run Value Scout with nothing but Python 3.11+.

    python3 dev.py run            # the main job: Slack if configured, else the demo on the emulator
    python3 dev.py test           # lint (ruff, import contracts) and the whole test suite, on SQLite and PostgreSQL
    python3 dev.py test --deep    # only tests/model, longer and with a random seed
    python3 dev.py lock           # resolve requirements/*.lock again from pyproject.toml

The first run creates .venv and installs into it exactly what requirements/dev.lock pins
(with pip, checking every file's hash), then the project itself; later runs reinstall only
when pyproject.toml or the lock changes. VALUESCOUT_VENV names another folder for the venv
(CI tests a second Python in its own). Extra arguments go to `valuescout` or to pytest
(`test -n 0` runs the tests in one process, `test tests/unit` only those).

`test` runs the tests in parallel (pytest-xdist), says whether PostgreSQL ran and how
many tests ran on it, prints the branch coverage of each package of bot/ (unless the
arguments name the tests to run), and how long each phase took.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import venv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / os.environ.get("VALUESCOUT_VENV", ".venv")
LOCKS = ROOT / "requirements"
UV = "uv>=0.5,<1"  # resolves the locks (`dev.py lock`): a wheel from PyPI, installed into the venv
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
# One xdist worker more than the cores: the suite often waits (on sockets, threads, child
# processes), so one extra worker pays; more starved the app's threads on two cores.
WORKERS = str((os.cpu_count() or 2) + 1)
COVERAGE = ["--cov=bot", "--cov-report="]  # our own per-package summary follows the run


def main(argv: list[str]) -> int:
    """Dispatch `run` or `test`."""
    if sys.version_info < (3, 11):  # noqa: UP036 - any python3 may run this file
        print("Value Scout needs Python 3.11 or newer.", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("run", "test", "lock"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    started = time.monotonic()
    ensure_environment()
    if argv[0] == "run":
        return call([BIN / "valuescout", "start", *argv[1:]])
    if argv[0] == "lock":
        return lock()
    return test(argv[1:], {"set-up": time.monotonic() - started})


def test(args: list[str], phases: dict[str, float]) -> int:
    """Lint, then pytest; then the coverage of bot/ and the time each phase took."""
    deep = "--deep" in args
    args = [arg for arg in args if arg != "--deep"]
    code = timed(phases, "lint", lint)
    if code == 0:
        for stale in ROOT.glob(".coverage*"):  # a run that stops early shows no old figures
            stale.unlink()
        code = timed(phases, "tests", pytest_command(args, deep=deep), env=pytest_env(deep))
        if (ROOT / ".coverage").exists():
            timed(phases, "coverage report", print_coverage)
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
    print(f"time: {spent}; in all {sum(phases.values()):.1f} s")
    return code


def lint() -> int:
    """ruff, then the import contracts of pyproject.toml (README: Architecture)."""
    return call([BIN / "ruff", "check", "."]) or import_contracts()


def import_contracts() -> int:
    """lint-imports, printing its one summary line when every contract holds, all else if not."""
    checked = subprocess.run(
        [BIN / "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    lines = checked.stdout.splitlines()
    summary = [line for line in lines if line.startswith("Contracts:")]
    print(checked.stdout + checked.stderr if checked.returncode or not summary else summary[0])
    return checked.returncode


def pytest_command(args: list[str], *, deep: bool) -> list[object]:
    """pytest on tests/model alone (deep), or in parallel, with coverage unless the arguments
    name the tests to run (the coverage of a few files says nothing about bot/)."""
    if deep:
        return [BIN / "python", "-m", "pytest", "tests/model", *args]
    coverage = [] if names_tests(args) else COVERAGE
    return [BIN / "python", "-m", "pytest", *parallel(args), *coverage, *args]


def names_tests(args: list[str]) -> bool:
    """Tell whether the arguments name test files or folders, short of the whole suite."""
    paths = (arg.split("::")[0].rstrip("/") for arg in args if not arg.startswith("-"))
    return any(path != "tests" and (ROOT / path).exists() for path in paths)


def pytest_env(deep: bool) -> dict[str, str]:
    """The environment for pytest: VALUESCOUT_DEEP=1 makes the model test run longer."""
    return (os.environ | {"VALUESCOUT_DEEP": "1"}) if deep else dict(os.environ)


def parallel(args: list[str]) -> list[str]:
    """The pytest-xdist options, unless the arguments choose their own (`-n 0`: none) or
    debug (a debugger needs the tests in this process)."""
    chosen = ("-n", "--numprocesses", "--dist", "--pdb", "--trace")
    if any(arg.startswith(chosen) or arg.endswith("no:xdist") for arg in args):
        return []
    # Deal the tests one at a time (each worker holds two): the slow ones come first
    # (tests/conftest.py) and go round the workers. By default `load` hands each worker a
    # block of a twelfth of the suite at once, so the first worker got every slow test and
    # ended alone.
    return ["-n", WORKERS, "--dist", "load", "--maxschedchunk", "1"]


def timed(phases: dict[str, float], name: str, work: list[object] | Callable, **options) -> int:
    """Run a command (or a function) as a named phase, noting how long it took."""
    started = time.monotonic()
    try:
        return work() if callable(work) else call(work, **options)
    finally:
        phases[name] = time.monotonic() - started


def print_coverage() -> int:
    """Print the branch coverage of each package of bot/ (top-level modules as bot/*.py)."""
    report = subprocess.run(
        [BIN / "coverage", "json", "--quiet", "-o", "-"], cwd=ROOT, capture_output=True, text=True
    )
    if report.returncode != 0:
        print(f"no coverage report: {(report.stderr or report.stdout).strip()}")
        return report.returncode
    packages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, data in json.loads(report.stdout)["files"].items():
        parts = Path(path).parts
        for package in ("/".join(parts[:2]) if len(parts) > 2 else "bot/*.py", "all of bot/"):
            packages[package][0] += data["summary"].get("covered_branches", 0)
            packages[package][1] += data["summary"].get("num_branches", 0)
    if not packages["all of bot/"][0]:
        print("branch coverage: no code of bot/ ran")
        return 0
    print("branch coverage (branches taken of all):")
    for package in sorted(packages, key=lambda name: (name == "all of bot/", name)):
        taken, branches = packages[package]
        print(f"  {package:<16} {100 * taken / max(branches, 1):5.1f} %  {taken:>5}/{branches}")
    return 0


def ensure_environment() -> None:
    """Create the venv and install what requirements/dev.lock pins, hashes checked, then the
    project (editable, no dependencies: the lock has them all), when either file changed."""
    lock_file = LOCKS / "dev.lock"
    sources = (ROOT / "pyproject.toml").read_bytes() + lock_file.read_bytes()
    wanted = hashlib.sha256(sources).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV.name} …", flush=True)
        venv.create(VENV, with_pip=True)
    print(f"installing Value Scout and exactly its locked dependencies into {VENV.name} …")
    pip = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run_checked([*pip, "--require-hashes", "--no-deps", "--requirement", lock_file])
    run_checked([*pip, "--no-deps", "--editable", ROOT])
    STAMP.write_text(wanted)


def lock() -> int:
    """Resolve requirements/dev.lock (with the test extras) and app.lock (what the image
    installs, pinned as in dev.lock) for every supported Python and platform, with hashes."""
    pip = [BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run_checked([*pip, UV])
    compile_ = [BIN / "uv", "pip", "compile", "pyproject.toml", "--universal", "--quiet"]
    compile_ += ["--python-version", "3.11", "--generate-hashes"]
    run_checked([*compile_, "--extra", "test", "-o", "requirements/dev.lock"])
    run_checked([*compile_, "-c", "requirements/dev.lock", "-o", "requirements/app.lock"])
    print("requirements/dev.lock and requirements/app.lock are resolved afresh")
    return 0


def run_checked(command: list[object]) -> None:
    """Run a set-up step from the project root; a failure stops dev.py."""
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)


def call(command: list[object], env: dict[str, str] | None = None) -> int:
    """Run a command from the project root, returning its exit code."""
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
