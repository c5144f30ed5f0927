"""The demo walks every path a person can take in Slack: every control on any message, the
message shortcut, forms as the client enforces them, ephemerals, and time passing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pytest

from bot.cli.demo import run_demo
from bot.emulator import SEED
from tests.e2e.conftest import e2e_settings

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

HEADING = re.compile(r"^── (?P<where>.*?)(?:  \[(?P<handle>m\d+)\])?$")


class Transcript:
    """What the demo printed so far, read back as Slack's messages with their handles."""

    def __init__(self) -> None:
        self.out = io.StringIO()

    @property
    def text(self) -> str:
        """Everything printed."""
        return self.out.getvalue()

    def messages(self) -> list[tuple[str, str | None, str]]:
        """(where, handle, body) of each message or form shown, oldest first."""
        shown: list[tuple[str, str | None, str]] = []
        for line in self.text.splitlines():
            heading = HEADING.match(line)
            if heading:
                shown.append((heading["where"], heading["handle"], ""))
            elif shown and line.startswith("   "):
                where, handle, body = shown[-1]
                shown[-1] = (where, handle, body + line.strip() + "\n")
        return shown

    def handle(self, words: str, where: str = "") -> str:
        """The handle of the newest message shown in `where` that says `words`."""
        for place, handle, body in reversed(self.messages()):
            if handle and where in place and words in body:
                return handle
        raise AssertionError(f"no message in {where!r} says {words!r}:\n{self.text}")

    def since(self, mark: int) -> str:
        """What was printed after `mark` (a length of text taken earlier)."""
        return self.text[mark:]


Person = Callable[[Transcript], Iterator[str]]


def play(emulator, database_url, person: Person) -> Transcript:
    """Run the demo with the lines `person` types, each chosen after seeing what came before."""
    transcript = Transcript()
    lines = person(transcript)
    settings = e2e_settings(emulator, database_url)
    run_demo(settings, lines=lines, out=transcript.out, emulator=emulator)
    return transcript


def log_a_discovery_by_clicking(screen: Transcript) -> Iterator[str]:
    """Sam's DM discovery: the fit and a band clicked, Marketing ticked on the summary."""
    yield from [
        "hi",
        "Globex",
        "Onboard a store in a day",
        "A consultant must be on site for two weeks",
    ]
    yield f"/use {screen.handle('Can our offer deliver this today?')} Partly"
    yield f"/use {screen.handle('worth to the customer per year?')} 2"  # 10k–100k, by number
    yield "/click Skip"  # no event
    yield "/click executive"  # a label's first word, in any case: "Executive / economic owner"
    yield "/click Skip"  # no quote at hand
    yield f"/use {screen.handle('Which teams should get it?')} Marketing"  # a checkbox
    yield "/click Submit"


def test_a_dm_discovery_by_buttons_and_checkboxes_then_edited_from_the_cards_menu(
    emulator, database_url
):
    def sam(screen: Transcript) -> Iterator[str]:
        yield from log_a_discovery_by_clicking(screen)
        yield f"/use {screen.handle('Value gap at Globex', '#product')} Edit"  # the ⋯ menu
        yield "/set 2 Onboard a store in one day"
        yield "/submit"

    screen = play(emulator, database_url, sam)

    shown = screen.text
    assert "*10k–100k*" in shown  # the band's question, answered by the click
    assert "*Executive / economic owner*" in shown and "no button" not in shown
    assert "☑ Sales  ☑ Marketing  ☑ Product" in shown  # ticked, as the client shows it
    assert "on its way to Sales, Marketing, Product" in shown
    assert "── #marketing · Value Scout  [m" in shown  # the ticked team got its card
    assert "── a form opened: Edit your discovery" in shown
    assert "4. Can our offer deliver this today?: Yes | Partly | Not yet | Not sure (now: Partly)" in shown  # fmt: skip
    edited = [body for where, _h, body in screen.messages() if where == "#product · Value Scout (edited)"]  # fmt: skip
    assert edited and "Onboard a store in one day" in edited[-1]


def test_a_shortcut_on_a_channel_message_and_a_form_refused_while_required_fields_are_empty(
    emulator, database_url
):
    def sam(screen: Transcript) -> Iterator[str]:
        yield "/say #general Our stores wait two weeks for a consultant"
        yield f"/shortcut {screen.handle('wait two weeks', '#general')}"
        yield "/submit"
        yield from ["/set 1 Initech", "/set 2 Onboard a store in a day", "/set 3 A consultant"]
        yield "/set 4 not yet"
        yield "/submit"  # the answers, then the teams to send it to
        yield "/submit"

    screen = play(emulator, database_url, sam)

    shown = screen.text
    assert "── #general · Sam Scout  [m1]" in shown
    assert "── a form opened: Log a value gap" in shown
    assert "(now: Our stores wait two weeks for a consultant)" in shown  # the evidence
    refused = shown.split("/submit or /close")[1].split("──")[0]
    assert "1. Which customer is this about?: Please fill out this field." in refused
    assert "4. Can our offer deliver this today?: Please fill out this field." in refused
    assert "sends nothing" in refused
    assert "Your discovery at *Initech* went to #product" in shown  # the second /submit


def test_an_ephemeral_meant_for_the_person_playing_is_shown_to_them(emulator, database_url):
    def sam_then_dana(screen: Transcript) -> Iterator[str]:
        yield from log_a_discovery_by_clicking(screen)
        yield "/as dana"
        yield f"/use {screen.handle('Value gap at Globex', '#product')} 5 Withdraw"
        said = {"text": "Meant for Sam alone"}  # while Dana plays: Sam sees it when back
        emulator.workspace.post_ephemeral(SEED.general, SEED.scout, said, require_member=False)
        yield "/as sam"
        yield f"/use {screen.handle('Only the scout', 'only visible to you')} 1"

    screen = play(emulator, database_url, sam_then_dana)

    shown = screen.text
    dana, sam = [m for m in screen.messages() if "only visible" in m[0]]
    assert dana[0] == "#product · only visible to you · Value Scout" and "Only the scout" in dana[2]
    assert sam[0] == "#general · only visible to you · Value Scout" and "Sam alone" in sam[2]
    assert shown.index("Sam alone") > shown.index("you are now Sam Scout")
    [ephemeral] = emulator.ephemerals(SEED.product)
    assert ephemeral["to_user"] == SEED.dana
    assert "is for Dana Product only: /as dana to be them" in shown  # Sam cannot use it


def test_waiting_brings_the_reminder_then_the_nudges_and_digests(emulator, database_url):
    def sam(screen: Transcript) -> Iterator[str]:
        yield from log_a_discovery_by_clicking(screen)
        yield "hi"  # a new dialogue, left alone
        yield "/wait 2h"
        yield "/wait 7d"

    screen = play(emulator, database_url, sam)

    later = screen.text.split("⏩ 2h later")[1]
    two_hours, week = later.split("⏩ 7d later")
    assert "Still there?" in two_hours and "(idle_dialogues: 1 reminded, 0 kept as drafts)" in two_hours  # fmt: skip
    assert "(digests: none due)" in two_hours
    assert "kept your discovery" in week and "(idle_dialogues: 0 reminded, 1 kept as drafts)" in week  # fmt: skip
    assert "── #product · Value Scout (in thread)" in week and ":wave:" in week  # the nudge
    assert ":bar_chart: *Product digest" in week and "(open_loops: 3 nudged)" in week
    assert re.search(r"\(digests: \d+ sent\)", week)


@pytest.mark.parametrize("line", ["/frobnicate", "/Click Submit", "/wait", "/use m99 1"])
def test_a_command_the_demo_does_not_have_or_cannot_do_is_answered_not_sent_to_the_bot(
    emulator, database_url, line
):
    screen = play(emulator, database_url, lambda screen: iter([line]))

    said = screen.text.split("(Ctrl-D works too)")[1]
    assert said.strip().startswith(("there is no", "wait how long?"))
    assert emulator.messages(emulator.dm_channel_for(SEED.scout)) == []
