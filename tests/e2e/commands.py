"""Run `valuescout` as a person does: a child process, a clean environment, a folder of its own."""

import os
import socket
import subprocess
import sys
from pathlib import Path

VALUESCOUT = [sys.executable, "-m", "bot"]


def free_port() -> int:
    """A loopback port nothing listens on (a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**values: str) -> dict[str, str]:
    """This process's environment without any Slack or Value Scout setting, plus `values`."""
    ours = ("SLACK_", "VALUESCOUT_", "DATABASE_URL")
    return {k: v for k, v in os.environ.items() if not k.startswith(ours)} | values


def run(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run one command to its end; its output as text."""
    return subprocess.run(
        [*VALUESCOUT, *args], env=env, cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=90,
    )  # fmt: skip


def one_line_refusal(result: subprocess.CompletedProcess) -> str:
    """The single line a refused command printed (asserting exit 2, one line, no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("valuescout: "), result.stderr
    return lines[0]
