"""The opener is the story: what a scout writes first, read for its parts, and quality at capture."""

from bot.domain.opener.quality import Completeness, challenge, completeness, thin_answer
from bot.domain.opener.reading import Reading, local_today, read_opener

__all__ = [
    "Completeness",
    "Reading",
    "challenge",
    "completeness",
    "local_today",
    "read_opener",
    "thin_answer",
]
