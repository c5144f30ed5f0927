"""The model walk runs on SQLite: one migrated template file, copied for each walk. Its
draws depend on its seed alone, whatever the process ran before it."""

from collections.abc import Iterator

import pytest
from hypothesis.internal.conjecture import providers
from hypothesis.internal.constants_ast import Constants

from tests.conftest import _migrate_and_dispose


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file migrated to head, for walks to copy."""
    path = tmp_path_factory.mktemp("walk-template") / "template.db"
    _migrate_and_dispose(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(autouse=True)
def constants_of_hypothesis_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Now and then Hypothesis draws a number or string found in the project's modules that
    the process has imported so far (hypothesis.internal.conjecture.providers), and a walk
    draws its steps and controls by index. What a worker imported depends on the walks and
    tests xdist gave it before, and on the app's lazy imports during the walk, so one seed
    walked different paths in different runs (walk 9 sent 218 requests alone, 233 after
    walk 11) and the union of control ids changed with timing. Walks draw from Hypothesis's
    own constants only; a Hypothesis without that function fails here, not flakily."""
    assert callable(providers._get_local_constants), "Hypothesis changed: pin its constants anew"
    monkeypatch.setattr(providers, "_get_local_constants", Constants)  # an empty pool
    providers.CONSTANTS_CACHE.cache.clear()  # cached pools hold the modules' constants
    yield
    providers.CONSTANTS_CACHE.cache.clear()  # other property tests get the modules' again
