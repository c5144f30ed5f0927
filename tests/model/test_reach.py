"""The check that the walks together use every control id fails a run that misses one."""

import pytest

from tests.model.reach import KEY, NODEID, Walks


def walk_report(*, whole: bool, reached: list[str], passed: bool = True) -> pytest.TestReport:
    """A walk's report as xdist hands it to the main process: one of two walks, ids a and b."""
    properties = [(KEY, (2, whole, reached, ["a", "b"]))]
    outcome = "passed" if passed else "failed"
    return pytest.TestReport(
        "walk", ("f", None, "walk"), {}, outcome, None, "call", user_properties=properties
    )


def checked(*reports: pytest.TestReport) -> pytest.TestReport | None:
    walks = Walks()
    for report in reports:
        walks.pytest_runtest_logreport(report)
    return walks.failure()


def test_walks_that_together_miss_an_id_fail_the_run() -> None:
    failed = checked(walk_report(whole=True, reached=["a"]), walk_report(whole=True, reached=[]))
    assert failed is not None and failed.nodeid == NODEID and "['b']" in str(failed.longrepr)


def test_walks_that_together_use_every_id_pass() -> None:
    assert (
        checked(walk_report(whole=True, reached=["a"]), walk_report(whole=True, reached=["b"]))
        is None
    )


def test_a_run_of_fewer_walks_a_failed_walk_or_a_replay_cannot_tell() -> None:
    assert checked(walk_report(whole=True, reached=["a"])) is None
    assert (
        checked(
            walk_report(whole=True, reached=["a"]),
            walk_report(whole=True, reached=[], passed=False),
        )
        is None
    )
    assert (
        checked(walk_report(whole=False, reached=["a"]), walk_report(whole=False, reached=[]))
        is None
    )
