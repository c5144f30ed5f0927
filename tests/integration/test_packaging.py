"""Packaging: the wheel carries what the app needs; the locks pin what pyproject.toml declares."""

import ast
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_prompts_the_migrations_and_the_console_script(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("valuescout-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"prompts/messages/help.md.j2", "storage/migrations/env.py"} <= names
    assert "storage/migrations/script.py.mako" in names
    assert any(name.startswith("storage/migrations/versions/0001") for name in names)
    assert not any(name.startswith(("tests/", ".venv/")) for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "valuescout = bot.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def pins(lock: str) -> dict[str, set[str]]:
    """Each package a lock file pins, with its versions (one per Python where they differ)."""
    found: dict[str, set[str]] = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.split(";")[0].strip(" \\").partition("==")
            found.setdefault(canonicalize_name(name), set()).add(version)
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    """The requirements pyproject.toml declares (the runtime's, or an extra's)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(spec) for spec in specs]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("app.lock", declared()), ("dev.lock", declared() + declared("test"))],
)
def test_each_lock_pins_every_declared_package_within_its_bounds(lock, requirements):
    locked = pins(lock)
    for requirement in requirements:
        versions = locked.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is declared but not in {lock}: run dev.py lock"
        assert all(requirement.specifier.contains(v) for v in versions), (requirement, versions)
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            assert line.rstrip().endswith("\\"), f"{line}: every pin carries its hashes"


def test_the_image_installs_what_ci_tests():
    app, dev = pins("app.lock"), pins("dev.lock")
    assert {name: app[name] for name in app} == {name: dev[name] for name in app}


def test_every_package_the_code_imports_is_declared_directly():
    imported = set()
    for folder in ("bot", "storage", "prompts"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"bot", "storage", "prompts"}
    distributions = {canonicalize_name(r.name) for r in declared()}
    for module in sorted(third_party):
        owners = {canonicalize_name(d) for d in packages_distributions().get(module, [])}
        assert owners & distributions, f"{module} is imported but {owners} is not declared"
