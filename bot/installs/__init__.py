"""Installs: OAuth installs kept in the app's database, and the Slack client of each team."""
