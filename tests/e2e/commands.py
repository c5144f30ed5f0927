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


def refused_in_process(args: list[str], env: dict[str, str], cwd: Path, monkeypatch, capsys) -> str:
    """The one line `valuescout args` prints when it refuses its set-up, run in this process
    (the same main(); a child process costs two seconds of imports, see `run` for the
    process-level checks). Refusing means before logging is set up and any command starts."""
    import bot.cli

    def started(**_: object) -> None:
        raise AssertionError(f"valuescout {' '.join(args)} went past its set-up check")

    for name in [name for name in os.environ if name not in env]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(bot.cli, "configure_logging", started)
    code = bot.cli.main(args)
    captured = capsys.readouterr()
    return one_line_refusal(subprocess.CompletedProcess(args, code, captured.out, captured.err))


def one_line_refusal(result: subprocess.CompletedProcess) -> str:
    """The single line a refused command printed (asserting exit 2, one line, no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("valuescout: "), result.stderr
    return lines[0]
