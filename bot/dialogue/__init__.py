"""The discovery dialogue: its definition (data in prompts/), answer parsing and the pure state machine."""
