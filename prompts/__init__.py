"""Dialogue definitions and message templates, as data an admin can edit (shipped in the package)."""
