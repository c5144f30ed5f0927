"""A wheel install works, not only a checkout: prompts and migrations ship inside the package."""

import subprocess
import sys
import zipfile
from pathlib import Path

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
