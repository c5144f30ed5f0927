"""The model walk runs on SQLite: one migrated template file, copied for each walk."""

import pytest

from tests.conftest import _migrate_and_dispose


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file migrated to head, for walks to copy."""
    path = tmp_path_factory.mktemp("walk-template") / "template.db"
    _migrate_and_dispose(f"sqlite:///{path}")
    return str(path)
