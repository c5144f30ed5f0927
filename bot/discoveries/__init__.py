"""Discoveries: routing suggestions and value-network themes (pure), from rules an admin edits in prompts/."""
