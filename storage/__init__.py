"""Value Scout storage: SQLModel models, engine and sessions, queries and migrations."""
