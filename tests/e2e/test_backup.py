"""`valuescout db backup FILE`: a consistent copy of SQLite; for PostgreSQL, the pg_dump line."""

import sqlite3

from storage.migrate import head_revision
from tests.e2e.commands import clean_environment, one_line_refusal, run


def test_an_sqlite_database_is_copied_whole_and_can_be_used(tmp_path):
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/live.db")
    assert run(["db", "upgrade"], env, tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "live.db") as live:
        live.execute(
            "INSERT INTO app_settings (key, value, updated_at) VALUES ('k', 'kept', '2026-12-01')"
        )

    line = one_line_refusal(run(["db", "backup", "copies/backup.db"], env, tmp_path))
    assert line == f"valuescout: no folder {tmp_path / 'copies'} to write the backup into."
    (tmp_path / "copies").mkdir()
    result = run(["db", "backup", "copies/backup.db"], env, tmp_path)

    assert result.returncode == 0, result.stderr
    backup = tmp_path / "copies" / "backup.db"
    assert f"backed up {tmp_path / 'live.db'} to {backup}" in result.stdout
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
        assert copy.execute("SELECT value FROM app_settings WHERE key = 'k'").fetchone() == (
            "kept",
        )
    assert not list((tmp_path / "copies").glob(".*partial"))


def test_postgresql_is_told_the_pg_dump_line_without_the_password(tmp_path):
    url = "postgresql://scout:hunter2@db.example.com:5433/valuescout"
    line = one_line_refusal(
        run(["db", "backup", "v.dump"], clean_environment(DATABASE_URL=url), tmp_path)
    )
    assert line == (
        "valuescout: PostgreSQL is backed up with pg_dump; run: pg_dump --format=custom"
        " --file=v.dump postgresql://scout@db.example.com:5433/valuescout"
    )


def test_a_missing_sqlite_file_is_one_line_and_nothing_is_made(tmp_path):
    env = clean_environment(DATABASE_URL=f"sqlite:///{tmp_path}/none.db")
    line = one_line_refusal(run(["db", "backup", "b.db"], env, tmp_path))
    assert f"no database file at {tmp_path / 'none.db'}" in line
    assert not (tmp_path / "b.db").exists() and not (tmp_path / "none.db").exists()
