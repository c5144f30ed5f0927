"""The demo of two workspaces (`valuescout demo --workspaces 2`): Acme and Globex install the
app by OAuth and `/team` moves between them; a discovery logged in Acme never shows in
Globex's App Home, search or digests."""

from __future__ import annotations

from collections.abc import Iterator

from bot.cli.demo import run_demo
from tests.e2e.conftest import e2e_settings
from tests.e2e.test_demo_paths import Transcript


def log_umbrella(screen: Transcript) -> Iterator[str]:
    """Sam's DM discovery at Umbrella, clicked through (it goes to #product and #sales)."""
    yield from ["hi", "Umbrella", "Onboard a store in a day", "A consultant on site two weeks"]
    yield f"/use {screen.handle('Can our offer deliver this today?')} Partly"
    yield f"/use {screen.handle('worth to the customer per year?')} 2"
    yield from ["/click Skip"] * 3
    yield "/click Submit"


def play(emulator, database_url, lines) -> tuple[Transcript, dict[str, str]]:
    """Run the demo of two workspaces; what was printed, and what after each `/team`."""
    transcript, parts, marks = Transcript(), {}, []

    def typed() -> Iterator[str]:
        for line in lines(transcript):
            if line.startswith("/team"):
                marks.append((line, len(transcript.text)))
            yield line

    run_demo(e2e_settings(emulator, database_url), lines=typed(), out=transcript.out,
             emulator=emulator, workspaces=2)  # fmt: skip
    ends = [mark for _line, mark in marks[1:]] + [len(transcript.text)]
    for (line, start), end in zip(marks, ends, strict=True):
        parts[line] = transcript.text[start:end]
    return transcript, parts


def test_a_discovery_logged_in_one_workspace_never_shows_in_the_other(emulator, database_url):
    def sam(screen: Transcript) -> Iterator[str]:
        yield from log_umbrella(screen)
        yield "/team globex"
        yield from ["/home", "/scout search store", "/digest product", "/channels"]
        yield "/team acme"
        yield from ["/scout search store", "/digest product"]

    screen, seen = play(emulator, database_url, sam)

    assert "Your discovery at *Umbrella* went to" in screen.text
    globex, acme = seen["/team globex"], seen["/team acme"]
    assert "you are now in Globex (T0GLOBEX)" in globex
    assert "No discoveries yet" in globex and "*0* logged" in globex  # Sam's Home there
    assert "No discovery has *store*" in globex  # the search
    assert "Product digest" in globex and "a quiet week: nothing new" in globex
    assert "Umbrella" not in globex
    assert "#sales: 0 messages" in globex  # its own channels: no card came (#product: the digest)
    assert "you are now in Acme (T0VALUESCOUT)" in acme
    assert "The 1 discovery with *store*" in acme  # where it was logged, the same search finds
    assert acme.count("Umbrella") >= 2, acme  # it, and the digest names it


def test_team_names_the_workspaces_there_are(emulator, database_url):
    screen, _seen = play(emulator, database_url, lambda screen: iter(["/team initech"]))
    assert "which workspace? try acme, globex" in screen.text


def test_the_demo_of_one_workspace_has_no_other_to_move_to(emulator, database_url):
    one = Transcript()
    run_demo(e2e_settings(emulator, database_url), lines=["/team globex"], out=one.out,
             emulator=emulator)  # fmt: skip
    assert "one workspace only" in one.text
