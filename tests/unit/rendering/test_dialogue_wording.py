"""The dialogue's sentences read right whatever the scout typed."""

from bot.dialogue.definition import load_definition
from bot.rendering.dialogue import challenge_message


def test_a_challenged_answer_ending_in_a_full_stop_is_quoted_without_a_second_one():
    gap = load_definition().question("gap")
    answer = "Every close needs manual checks."

    message = challenge_message(gap, "What would that change?", answer, dialogue_id=1)

    assert "checks.." not in str(message) and "“Every close needs manual checks.”" in str(message)
