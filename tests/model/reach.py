"""Every control id the app renders is used by some walk: each walk test reports what it used
(in its report's user_properties, which xdist carries from the worker to the main process),
and once the session ends with every walk passed, the main process checks their union (a
plugin that tests/conftest.py registers there: in one process without xdist, the same).

The walks are separate tests so that xdist spreads them over its workers; this check is what
one test checking its own walks did before.

It fails the run when the walks together miss an id: CI's ten walks of 100 steps and a
deep run (`dev.py test --deep`: 100 walks of 150 steps) alike; a replay of one of CI's walks
(VALUESCOUT_MODEL_SEED without --deep) is not meant to reach them all and only reports. A
walk's path depends on its seed alone (tests/model/conftest.py pins what Hypothesis draws
from), and the controls only rare paths reach have rules of their own that reach them
whatever came before (paging Home, merging two discoveries, declining or re-routing a card,
adding a suggested theme, reading this week's scout note). Every control's handler is also
reached by an end-to-end test (tests/e2e/test_every_control.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

KEY = "model walk reached"
NODEID = "tests/model/test_users.py::every control the app renders is used by some walk"


def record(
    node: pytest.Item, *, walks: int, whole: bool, reached: set[str], rendered: set[str]
) -> None:
    """Note on a walk test's report what it used, what the app renders, how many walks the
    run has (a run of fewer, `-k walk3` say, cannot tell whether the others reach), and
    whether those walks are meant to use every id (not a replay of one of CI's)."""
    node.user_properties.append((KEY, (walks, whole, sorted(reached), sorted(rendered))))


@dataclass
class Walks:
    """A pytest plugin: the walks that passed in this session, gathered from their reports."""

    expected: int = 0
    whole: bool = False
    passed: int = 0
    reached: set[str] = field(default_factory=set)
    rendered: set[str] = field(default_factory=set)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Add a passed walk's report (any other report is not a walk's, or did not pass)."""
        for name, value in report.user_properties:
            if name == KEY and report.when == "call" and report.passed:
                walks, self.whole, reached, rendered = value
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
        """A failed report naming the ids no walk used, once every walk of the run passed;
        else None (a replay of one walk only reports them, in the terminal summary)."""
        unreached = self.rendered - self.reached
        if not self.whole or not self.passed or self.passed < self.expected or not unreached:
            return None
        message = f"no walk used {sorted(unreached)}: add a rule that reaches them"
        return pytest.TestReport(
            NODEID, (NODEID.split("::")[0], None, NODEID.split("::")[1]), {}, "failed",
            message, "call",
        )  # fmt: skip
