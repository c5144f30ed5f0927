"""Every control id the app renders is used by some walk: each walk test reports what it used
(in its report's user_properties, which xdist carries from the worker to the main process),
and once the session ends with every walk passed, the main process checks their union (a
plugin that tests/conftest.py registers there: in one process without xdist, the same).

The walks are separate tests so that xdist spreads them over its workers; this check is what
one test checking its own walks did before.

It fails a deep run (`dev.py test --deep`: 100 walks of 150 steps) and only reports in CI's
twelve walks of 100: the app's work after the ack runs on threads, so what a walk meets
depends on timing, and two full runs on the same commit missed different ids (theme_add;
discovery_merge and home_page) while runs of the walks alone used all 36. Every control's
handler is reached by an end-to-end test in any case (tests/e2e/test_every_control.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

KEY = "model walk reached"
STRICT = os.environ.get("VALUESCOUT_DEEP") == "1"  # a deep run must use every control id
NODEID = "tests/model/test_users.py::every control the app renders is used by some walk"


def record(node: pytest.Item, *, walks: int, reached: set[str], rendered: set[str]) -> None:
    """Note on a walk test's report what it used, what the app renders, and how many walks
    the run has (a run of fewer, `-k walk3` say, cannot tell whether the others reach)."""
    node.user_properties.append((KEY, (walks, sorted(reached), sorted(rendered))))


@dataclass
class Walks:
    """A pytest plugin: the walks that passed in this session, gathered from their reports."""

    expected: int = 0
    passed: int = 0
    reached: set[str] = field(default_factory=set)
    rendered: set[str] = field(default_factory=set)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Add a passed walk's report (any other report is not a walk's, or did not pass)."""
        for name, value in report.user_properties:
            if name == KEY and report.when == "call" and report.passed:
                walks, reached, rendered = value
                self.expected, self.passed = walks, self.passed + 1
                self.reached.update(reached)
                self.rendered.update(rendered)

    @pytest.hookimpl(tryfirst=True)  # before the terminal's summary counts the outcomes
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Fail the run, with a report of its own, if no walk used some control id."""
        failed = self.failure()
        if failed is not None:
            session.config.hook.pytest_runtest_logreport(report=failed)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Say what the walks used together (when some failed, the check could not be made)."""
        if self.passed:
            unused = sorted(self.rendered - self.reached)
            terminalreporter.write_line(
                f"model walks: {self.passed} of {self.expected} passed; together they used "
                f"{len(self.rendered) - len(unused)} of the {len(self.rendered)} control ids"
                + (f", not {unused}" if unused else "")
            )

    def failure(self) -> pytest.TestReport | None:
        """A failed report naming the ids no walk used, once every walk of a deep run passed;
        else None (CI's walks only report them, in the terminal summary)."""
        unreached = self.rendered - self.reached
        if not STRICT or not self.passed or self.passed < self.expected or not unreached:
            return None
        message = f"no walk used {sorted(unreached)}: add a rule that reaches them"
        return pytest.TestReport(
            NODEID, (NODEID.split("::")[0], None, NODEID.split("::")[1]), {}, "failed",
            message, "call",
        )  # fmt: skip
