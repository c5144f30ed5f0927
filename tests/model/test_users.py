"""A model of the people who use Value Scout, walking the real app (see ENGINEERING.md).

The rules are what people do: talk to the bot, run /scout and the shortcut, open the Home
tab, use any control the bot rendered (found in the blocks, stale ones included), fill and
submit or close any modal, repeat a request, let time pass, restart the process. After
every step the world settles and the invariants must hold.

CI runs ten bounded walks, each a test of its own with a fixed seed (so xdist spreads them
over its workers); once all have passed, the run checks that together they used every control
id the app renders (tests/model/reach.py). `python3 dev.py test --deep` (VALUESCOUT_DEEP=1)
walks much longer from a random seed and prints it; VALUESCOUT_MODEL_SEED=N replays one.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import ClassVar

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, assume, seed, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import col, select

from bot.cli.forms import MULTIPLE, fields_of, view_state
from bot.emulator import SEED
from bot.emulator.controls import Control, message_controls, view_controls
from bot.emulator.driver import DriverResponse
from bot.rendering.home import PAGE_SIZE
from bot.rendering.ids import ActionId, BlockId, CallbackId, Command
from storage.engine import session_scope
from storage.enums import DialogueStatus
from storage.models import DialogueSession, Discovery, FollowUp, StatusChange
from tests.model import invariants, reach
from tests.model.world import World, load_rules_once

DEEP = os.environ.get("VALUESCOUT_DEEP") == "1"
FIRST_SEED = 20261202  # CI's walks have the seeds FIRST_SEED, FIRST_SEED + 1, ...
WALKS, STEPS = 10, 100  # in CI: ten walks of 100 steps (deep: one test of 100 walks of 150); ten
# use every control id, each id by three walks or more (twelve cost 31 worker-s more for no id)
PEOPLE = [SEED.scout, SEED.sally, SEED.dana, SEED.admin, SEED.coach]
ROOMS = [SEED.sales, SEED.marketing, SEED.product, SEED.coaches, SEED.general]
REMEMBERED = 40  # controls seen earlier, kept to be clicked when stale
SAYINGS = [  # what scouts type: answers, commands, mistakes, hostile text
    "hi", "Globex", "Initech Ltd", "Onboard a new store in one day instead of two weeks",
    "Every store needs a consultant on site", "partly", "Yes", "not yet", "2", "7", "maybe",
    "40k EUR", "$1.2M", "10k-100k", "Don't know", "about 5000 dollars", "-3 EUR", "lots",
    "2027-03-31 the board decides the budget", "next friday renewal", "yesterday", "31.02.2027",
    "skip", "back", "cancel", "help", "submit", "edit", "   ", "<!channel> *bold* `code` <@U0ADMIN>",
    "```\nfenced\n```", "https://example.com/ticket/1", "x" * 2100, "Ünïcødé 😀 客户",
]  # fmt: skip
ANSWERS = {  # sensible typed answers per question, a mistake or two among them
    "account": ["Globex", "Initech Ltd", "Acme Corp"],
    "outcome": ["Onboard a new store in one day instead of two weeks", "better reporting"],
    "gap": ["Every store needs a consultant on site", "Their admins export to Excel by hand"],
    "fit": ["partly", "Yes", "not yet", "2", "maybe"],
    "value": ["40k EUR", "$1.2M", "10k-100k", "lots", "skip"],
    "event": [
        "2027-03-31 the board decides the budget",
        "31.02.2027",
        "skip",
        "yesterday",
        "2025-03-03 audit, owner CFO",
        "CFO, audit, 15 March",
    ],
    "event.owner": ["the CFO", "Jane Roe", "skip", "x" * 300],  # the follow-ups (follow_ups.py)
    "event.passed": ["yes", "keep it", "3", "2027-06-30", "hmm"],
    "event.date": ["2027-06-30", "2024-01-01 renewal", "soon"],
    "who_cares": ["the CFO", "2", "someone"],
    "evidence": ['"We lose two weeks per store"', "skip"],
    "summary": ["submit", "edit 2", "back", "yes"],
}
SCOUTS = [SEED.scout, SEED.sally]
THIN = ["better reporting", "a bulk import button", "keep it", "Their admins export to Excel"]
OPENERS = ["hi", "Hello! Got one from a customer call", "I have a discovery"]
GOOD = {  # answers a scout who knows what to say types
    "account": ["Globex", "Initech Ltd"],
    "outcome": ["Onboard a new store in one day instead of two weeks"],
    "gap": ["Every store needs a consultant on site to set up the POS"],
    "fit": ["partly", "Yes", "not yet", "not sure"],
    "value": ["40k EUR", "10k-100k", "$1.2M"],
    "event": ["2027-03-31 the board decides the budget", "2025-03-03 audit"],
    "event.owner": ["the CFO", "Jane Roe"],
    "event.passed": ["yes", "keep it"],
    "event.date": ["2027-06-30"],
    "who_cares": ["executive", "the CFO"],
    "evidence": ['"We lose two weeks per store"'],
}
ONWARD = ("dialogue_pick", "dialogue_skip")
SUMMARY = {"submit": "submit", "tick": "routes", "edit": "edit"}
NAVIGATION = ("dialogue_back", "dialogue_cancel", "dialogue_skip", "dialogue_edit", "dialogue_keep")
NO_THEME_YET = [  # one need at three accounts, in words the value network has no theme for
    ("Globex", "Fill in inspection forms in offline mode in the basement", "Forms get lost"),
    ("Initech Ltd", "Keep working in the tunnels with an offline mode", "Nothing loads"),
    ("Acme Corp", "Use the scanner in offline mode at the dock", "Scans should upload later"),
]
STORIES = [
    "",
    "help",
    "config",
    "frobnicate",
    "Acme Corp's CFO wants month-end close down from 10 days to 3 before their March 31 renewal.",
]


class Users(RuleBasedStateMachine):
    """Scouts, team members, admins and strangers, using whatever the bot shows them."""

    template: str = ""
    directory_factory = None
    reached: ClassVar[set[str]] = set()  # action and callback ids people used
    seen: ClassVar[Counter] = Counter()  # what the walks did, printed at the end: a walk that does
    # nothing proves nothing

    def __init__(self) -> None:
        super().__init__()
        self.world: World | None = None
        self.responses: list[DriverResponse] = []
        self.calls_checked = 0
        self.remembered: list[tuple[str | None, Control]] = []
        self.last_request: tuple | None = None

    def teardown(self) -> None:
        if self.world is not None:
            self.world.stop()

    @initialize(walk=st.integers(0, 2**16))
    def open_the_workspace(self, walk: int) -> None:
        """Start the world. Hypothesis tries its simplest walk first (the first rule's simplest
        step, over and over); each walk here is to be a random one, so that one is passed over
        before anything starts."""
        assume(walk != 0)
        self.world = World.start(
            template=self.template, directory=Users.directory_factory(), rules=load_rules_once()
        )

    # -- what people do ---------------------------------------------------------------

    @rule(person=st.sampled_from(PEOPLE), text=st.sampled_from(SAYINGS) | st.text(max_size=60))
    def say_in_dm(self, person: str, text: str) -> None:
        """A direct message to the bot."""
        self._send("message", person, text)

    @rule(person=st.sampled_from(PEOPLE), text=st.sampled_from(STORIES))
    def run_scout_command(self, person: str, text: str) -> None:
        """/scout, /scout help, /scout config, a typo, or a story."""
        self._send("command", Command.SCOUT.value, text, user=person)

    @rule(
        person=st.sampled_from(PEOPLE), room=st.sampled_from(ROOMS), text=st.sampled_from(SAYINGS)
    )
    def use_the_shortcut(self, person: str, room: str, text: str) -> None:
        """Someone said something in a channel; a scout logs it with the message shortcut."""
        said = self.world.emulator.workspace.add_user_message(room, SEED.sally, text)
        self._send(
            "message_shortcut", user=person, message=said,
            callback_id=CallbackId.LOG_DISCOVERY_SHORTCUT.value, channel=room,
        )  # fmt: skip

    @rule(data=st.data())
    def answer_the_bot(self, data: st.DataObject) -> None:
        """A scout answers what the bot just asked: by typing, or with a control it shows."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        dm = self.world.emulator.dm_channel_for(person)
        asked = [m for m in self.world.screens.messages(dm) if m.get("user") == SEED.bot_user_id]
        controls = message_controls(asked[-1], dm) if asked else []
        onward = [c for c in controls if not c.action_id.startswith(NAVIGATION)]
        if controls and data.draw(st.booleans(), label="click"):
            wander = not onward or data.draw(st.integers(0, 4), label="wander") == 0
            self._use(data, person, controls if wander else onward)
            return
        key = _question_key(asked[-1]) if asked else None
        text = data.draw(st.sampled_from(ANSWERS.get(key) or SAYINGS), label="answer")
        self._send("message", person, text)

    answer_again = answer_the_bot  # weight: most of what scouts do is answer

    @rule(data=st.data())
    def change_course(self, data: st.DataObject) -> None:
        """A scout mid-dialogue goes back, skips, edits or cancels instead of answering: each
        path out of a question is walked, not only left to a rare wander."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        dm = self.world.emulator.dm_channel_for(person)
        asked = [m for m in self.world.screens.messages(dm) if m.get("user") == SEED.bot_user_id]
        controls = message_controls(asked[-1], dm) if asked else []
        paths = [c for c in controls if c.action_id.startswith(NAVIGATION)]
        if not paths:  # no question open: start one, as a scout does, to have a path out of
            self._send("message", person, data.draw(st.sampled_from(OPENERS), label="opener"))
            controls = message_controls(self._bot_messages(dm)[-1], dm)
            paths = [c for c in controls if c.action_id.startswith(NAVIGATION)]
        untried = [c for c in paths if c.action_id not in self.reached]  # each path, not one
        if paths:
            self._use(data, person, untried or paths)

    @rule(data=st.data())
    def click_an_earlier_questions_button(self, data: st.DataObject) -> None:
        """A scout who typed their answers still sees each earlier question's buttons, and
        clicks one: Skip, Back or a choice there must leave the question asked now as it is
        (a Skip there once skipped the current question, unread)."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        asking = self._step_of_open_dialogue(person)
        if asking is None:
            return
        stale = (ActionId.DIALOGUE_SKIP, ActionId.DIALOGUE_BACK)
        stale += () if asking == "summary" else (ActionId.DIALOGUE_PICK,)  # a summary takes picks
        dm = self.world.emulator.dm_channel_for(person)
        earlier = [
            control
            for message in self._bot_messages(dm)
            if _question_key(message) not in (None, asking, "summary")
            for control in message_controls(message, dm)
            if control.action_id in stale
        ]
        if earlier:
            self._use(data, person, earlier)
            assert self._step_of_open_dialogue(person) == asking, "an old button moved the dialogue"

    @rule(data=st.data())
    def keep_a_thin_answer(self, data: st.DataObject) -> None:
        """A scout types a thin outcome or gap, is challenged once, and keeps it by its button
        (or types another: the second answer is taken as is)."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        dm = self.world.emulator.dm_channel_for(person)
        asked = self._bot_messages(dm)
        if not asked or _question_key(asked[-1]) not in ("outcome", "gap"):
            # Not at an outcome or gap yet: start (or go on) as a scout does, so the walk
            # reaches the challenge whatever the other rules drew before.
            self._send("message", person, data.draw(st.sampled_from(OPENERS), label="opener"))
            if _question_key(self._bot_messages(dm)[-1]) == "account":
                self._send("message", person, "Globex")
            asked = self._bot_messages(dm)
            if _question_key(asked[-1]) not in ("outcome", "gap"):
                return
        self._send("message", person, data.draw(st.sampled_from(THIN), label="thin"))
        controls = message_controls(self._bot_messages(dm)[-1], dm)
        keep = [c for c in controls if c.action_id == "dialogue_keep"]
        if keep and data.draw(st.booleans(), label="keep by button"):
            self._use(data, person, keep)
        elif keep:
            self._send("message", person, data.draw(st.sampled_from(THIN), label="again"))

    @rule(data=st.data())
    def log_a_discovery_by_dm(self, data: st.DataObject) -> None:
        """A scout who knows what to say goes from the first DM to Submit, clicking or typing,
        skipping, editing from the summary and ticking teams on the way."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        dm = self.world.emulator.dm_channel_for(person)
        self._send("message", person, data.draw(st.sampled_from(OPENERS), label="opener"))
        for _turn in range(16):
            asked = self._bot_messages(dm)[-1]
            key, controls = _question_key(asked), message_controls(asked, dm)
            if key == "summary":
                join = [c for c in controls if c.action_id == "dialogue_support"]
                steps = ["submit", "tick", "edit"] + (["join"] if join else [])
                step = data.draw(st.sampled_from(steps), label="at summary")
                if step == "join":  # a look-alike is open: add my account to it instead
                    self._send("use", join[0], user=person)
                    return
                chosen = [c for c in controls if c.action_id == f"dialogue_{SUMMARY[step]}"]
                if step == "submit":
                    self._send("use", chosen[0], user=person)
                    return
                self._use(data, person, chosen, choices=lambda c: c.choices()[1:])
                continue
            if key not in GOOD:
                return  # not a question (an apology, say): the invariants will tell
            picks = [c for c in controls if c.action_id.startswith(ONWARD)]
            if picks and data.draw(st.booleans(), label="click"):
                self._use(data, person, picks)
            else:
                self._send("message", person, data.draw(st.sampled_from(GOOD[key]), label=key))

    @rule(data=st.data())
    def log_a_discovery_by_modal(self, data: st.DataObject) -> None:
        """A scout opens /scout's modal, fills it sensibly and submits both steps."""
        self._log_by_modal(data.draw(st.sampled_from(SCOUTS), label="scout"))

    def _log_by_modal(self, person: str) -> None:
        self._send("command", Command.SCOUT.value, "", user=person)
        for _step in range(3):
            view = self._modal(person)
            if view is None:
                return
            answers = {f.block_id: _good_answer(f) for f in fields_of(view)}
            self._send(
                "view_submission", user=person, view=view["id"], values=view_state(view, answers)
            )

    @rule(data=st.data())
    def page_through_home(self, data: st.DataObject) -> None:
        """A scout with more than a page of discoveries opens Home and pages Older, then Newer
        (logging a page's worth first when she has fewer): paging is walked whatever came
        before, not only when other rules happened to log enough."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        for _attempt in range(2 * PAGE_SIZE):
            if self._discoveries_of(person) > PAGE_SIZE and self._home_paging(person):
                break
            self._log_by_modal(person)
        for direction in ("older", "newer"):
            paging = [c for c in self._home_paging(person) if c.action_id.endswith(direction)]
            if paging:
                self._send("use", paging[0], user=person)

    @rule(data=st.data())
    def merge_two_discoveries(self, data: st.DataObject) -> None:
        """Someone picks "Merge with…" on an open card and types another open discovery's
        number (two are logged first when fewer are open): a merge is walked whatever came
        before, not only when a random click on a menu happened to open its form."""
        for _attempt in range(2):
            if len(self._merge_choices()) >= 2:
                break
            self._log_by_modal(data.draw(st.sampled_from(SCOUTS), label="scout"))
        menus = self._merge_choices()
        if len(menus) < 2:
            return
        person = data.draw(st.sampled_from([SEED.admin, *PEOPLE]), label="person")
        kept = data.draw(st.sampled_from(sorted(menus)), label="kept")
        control, choice = menus[kept]
        self._send("use", control, user=person, choice=choice)
        view = self._modal(person)
        if view is None or view.get("callback_id") != CallbackId.DISCOVERY_MERGE:
            return  # not permitted: told so
        other = data.draw(st.sampled_from(sorted(set(menus) - {kept})), label="other")
        values = view_state(view, {BlockId.MERGE_WITH.value: f"#{other}"})
        self._send("view_submission", user=person, view=view["id"], values=values)

    @rule(data=st.data(), answer=st.sampled_from([ActionId.CARD_DECLINE, ActionId.CARD_REROUTE]))
    def a_team_turns_a_card_away(self, data: st.DataObject, answer: ActionId) -> None:
        """A team declines a card or passes it to another team and fills the form sensibly (a
        discovery is logged first when no card offers that): both forms are walked whatever
        came before."""
        if not [c for c in self._cards() if c.action_id == answer]:
            self._log_by_modal(data.draw(st.sampled_from(SCOUTS), label="scout"))
        buttons = [c for c in self._cards() if c.action_id == answer]
        if not buttons:
            return
        person = data.draw(st.sampled_from(PEOPLE), label="person")
        self._use(data, person, buttons)
        view = self._modal(person)
        if view is not None:
            answers = {f.block_id: _good_answer(f) for f in fields_of(view)}
            values = view_state(view, answers)
            self._send("view_submission", user=person, view=view["id"], values=values)

    @rule(data=st.data())
    def a_scout_reads_this_weeks_note(self, data: st.DataObject) -> None:
        """A scout logs something, reads this week's note (sent now, as the demo's /digest
        sends it), uses what it offers, and maybe starts the notes again from Home: the note
        is walked whatever week the world's clock is in (the scheduled one covers that week,
        which may be past everything the app stored at the real time)."""
        person = data.draw(st.sampled_from(SCOUTS), label="scout")
        self._log_by_modal(person)
        self.world.send_this_weeks_digest("scout")
        notes = [c for who, controls in self._digest_controls() if who == person for c in controls]
        if notes:
            self._use(data, person, notes)
        self._send("app_home_opened", person)
        home = self.world.emulator.home_view(person)
        again = [c for c in view_controls(home) if c.action_id == ActionId.DIGEST_SCOUT_ON]
        if again and data.draw(st.booleans(), label="start again"):
            self._send("use", again[0], user=person)

    @precondition(lambda self: self._digest_controls())
    @rule(data=st.data())
    def answer_the_weekly_note(self, data: st.DataObject) -> None:
        """A scout reads their weekly digest DM and uses what it offers."""
        person, controls = data.draw(st.sampled_from(self._digest_controls()), label="note")
        self._use(data, person, controls)
        self._use_home(data, person)  # and sees what changed on the Home tab

    @rule(data=st.data(), times=st.integers(2, 6))
    def log_a_busy_week(self, data: st.DataObject, times: int) -> None:
        """A scout logs several discoveries in a row (so Home has pages, digests have content)."""
        for _ in range(times):
            self.log_a_discovery_by_modal(data)

    @rule(data=st.data())
    def an_admin_changes_settings(self, data: st.DataObject) -> None:
        """An admin opens the settings from the Home tab or /scout config, and maybe saves."""
        if data.draw(st.booleans(), label="from home"):
            self._send("app_home_opened", SEED.admin)
            home = self.world.emulator.home_view(SEED.admin)
            found = [c for c in view_controls(home) if c.action_id == ActionId.CONFIG_OPEN]
            self._send("use", found[0], user=SEED.admin)
        else:
            self._send("command", Command.SCOUT.value, "config", user=SEED.admin)
        self._maybe_fill_the_form(data, SEED.admin)

    @rule(data=st.data())
    def owners_and_admins_keep_accounts(self, data: st.DataObject) -> None:
        """An owner turns their account DMs off and on from Home; an admin merges two accounts
        (picks them, maybe confirms)."""
        for action in (ActionId.ACCOUNT_ALERTS_OFF, ActionId.ACCOUNT_ALERTS_ON):
            self._send("app_home_opened", SEED.dana)
            home = self.world.emulator.home_view(SEED.dana)
            found = [c for c in view_controls(home) if c.action_id == action] if home else []
            if found:
                self._send("use", found[0], user=SEED.dana)
        self._send("app_home_opened", SEED.admin)
        home = self.world.emulator.home_view(SEED.admin)
        merge = [c for c in view_controls(home) if c.action_id == ActionId.ACCOUNT_MERGE]
        if not merge:
            return
        self._send("use", merge[0], user=SEED.admin)
        view = self._modal(SEED.admin)
        if view is None or view.get("callback_id") != CallbackId.ACCOUNT_MERGE:
            return
        first, second = fields_of(view)[:2]
        picked = {first.block_id: first.options[0][0], second.block_id: second.options[-1][0]}
        values = view_state(view, picked)
        self._send("view_submission", user=SEED.admin, view=view["id"], values=values)
        confirm = self._modal(SEED.admin)
        if confirm is not None and data.draw(st.booleans(), label="confirm the merge"):
            self._send("view_submission", user=SEED.admin, view=confirm["id"], values={})

    @rule(data=st.data())
    def use_the_home_tab(self, data: st.DataObject) -> None:
        """Someone opens the Home tab and uses what it offers (admins see the settings)."""
        self._use_home(data, data.draw(st.sampled_from([*SCOUTS, *PEOPLE]), label="person"))

    def _use_home(self, data: st.DataObject, person: str) -> None:
        self._send("app_home_opened", person)
        home = self.world.emulator.home_view(person)
        if home and view_controls(home):
            self._use(data, person, view_controls(home))
            self._maybe_fill_the_form(data, person)

    @precondition(lambda self: self._cards())
    @rule(data=st.data())
    def work_a_card(self, data: st.DataObject) -> None:
        """Someone in a team channel uses a card's buttons or menu."""
        person = data.draw(st.sampled_from(PEOPLE), label="person")
        self._use(data, person, self._cards())
        self._maybe_fill_the_form(data, person)

    work_another_card = work_a_card

    @precondition(lambda self: self._themes_menus())
    @rule(data=st.data())
    def re_theme_a_card(self, data: st.DataObject) -> None:
        """Someone picks Themes… from a card's menu and maybe saves a choice (or none)."""
        person = data.draw(st.sampled_from(PEOPLE), label="person")
        themes = lambda c: [o for o in c.choices() if str(o.get("value", "")).startswith("themes:")]  # noqa: E731
        self._use(data, person, self._themes_menus(), choices=themes)
        if self._modal(person) is not None and data.draw(st.booleans(), label="pick none"):
            view = self._modal(person)
            values = view_state(view, {f.block_id: [] for f in fields_of(view)})
            self._send("view_submission", user=person, view=view["id"], values=values)
        self._maybe_fill_the_form(data, person)

    @rule(data=st.data())
    def scouts_log_a_need_no_theme_has(self, data: st.DataObject) -> None:
        """Scouts at several accounts log the same unmet need in words no theme has yet; this
        week's product digest suggests it, with "Add theme"."""
        for account, outcome, gap in NO_THEME_YET:
            person = data.draw(st.sampled_from(SCOUTS), label="scout")
            self._send("command", Command.SCOUT.value, "", user=person)
            view = self._modal(person)
            if view is None:
                continue
            mine = {"account": account, "outcome": outcome, "gap": gap, "fit": "not_yet"}
            answers = {f.block_id: mine.get(f.block_id.split(":")[0], _good_answer(f))
                       for f in fields_of(view)}  # fmt: skip
            self._send(
                "view_submission", user=person, view=view["id"], values=view_state(view, answers)
            )
            confirm = self._modal(person)  # the teams, as suggested (product among them)
            if confirm is not None:
                self._send("view_submission", user=person, view=confirm["id"],
                           values=view_state(confirm, {}))  # fmt: skip
        self.world.send_this_weeks_digest("product")  # the PM reads it: "Add theme" offered
        if self._theme_buttons() and data.draw(st.integers(0, 3), label="add it") > 0:
            self.someone_adds_a_suggested_theme(data)  # mostly at once, not only when the
            # rule that clicks it is drawn later

    @precondition(lambda self: self._theme_buttons())
    @rule(data=st.data())
    def someone_adds_a_suggested_theme(self, data: st.DataObject) -> None:
        """An admin (or someone who may not) clicks a suggested theme's "Add theme"."""
        self._use(data, data.draw(st.sampled_from(PEOPLE), label="person"), self._theme_buttons())

    @precondition(lambda self: self.remembered)
    @rule(data=st.data())
    def use_a_control(self, data: st.DataObject) -> None:
        """Anyone uses any control they can see, or one they saw earlier (stale)."""
        person = data.draw(st.sampled_from(PEOPLE), label="person")
        shown, stale = self._controls_for(person), self._remembered_by(person)
        pool = shown if shown and data.draw(st.booleans(), label="fresh") else stale
        pool = pool or shown
        if pool:
            self._use(data, person, pool)

    @precondition(lambda self: any(self._modal(p) for p in PEOPLE))
    @rule(data=st.data())
    def submit_a_modal(self, data: st.DataObject) -> None:
        """Fill the open modal (prefilled, changed, or emptied) and press Submit."""
        person = data.draw(st.sampled_from([p for p in PEOPLE if self._modal(p)]), label="person")
        view = self._modal(person)
        answers = {f.block_id: data.draw(_answer_for(f), label=f.label) for f in fields_of(view)}
        values = view_state(view, {k: v for k, v in answers.items() if v is not KEEP})
        self._send("view_submission", user=person, view=view["id"], values=values)

    @precondition(lambda self: any(self._modal(p) for p in PEOPLE))
    @rule(person=st.sampled_from(PEOPLE))
    def close_a_modal(self, person: str) -> None:
        """Press Cancel or ✕ on the open modal."""
        view = self._modal(person)
        if view is not None and view.get("notify_on_close"):  # else Slack tells the app nothing
            self._send("view_closed", user=person, view=view["id"])
        elif view is not None:
            with self.world.emulator.workspace.transaction() as workspace:
                workspace.views.close(view["id"])

    @precondition(lambda self: self.last_request is not None)
    @rule()
    def repeat_the_last_request(self) -> None:
        """A double click, or Slack retrying: the same request again."""
        name, args, kwargs = self.last_request
        self._send(name, *args, **kwargs)

    @precondition(lambda self: self._anything_happened_to_a_card())
    @rule(data=st.data())
    def the_week_ends(self, data: st.DataObject) -> None:
        """A week after teams worked the cards: the digests go out, and a scout reads theirs."""
        self.let_time_pass(24 * 7)
        if self._digest_controls() and data.draw(st.booleans(), label="read the note"):
            self.answer_the_weekly_note(data)

    @precondition(lambda self: self._cards())
    @rule(data=st.data(), extra_days=st.sampled_from([0, 7]))
    def follow_a_card_through(self, data: st.DataObject, extra_days: int) -> None:
        """A team actions a card (when none is being followed up), its follow-up date comes (or
        a week on), and the actioner (mostly; now and then someone else) presses a stage."""
        if self._follow_up_due() is None:
            actioned = [c for c in self._cards() if c.action_id == ActionId.CARD_ACTIONED]
            if not actioned:
                return
            person = data.draw(st.sampled_from(PEOPLE), label="person")
            self._use(data, person, actioned)
            self.world.settle()
            view = self._modal(person)
            if view is not None:
                answers = {f.block_id: _good_answer(f) for f in fields_of(view)}
                # A sentence is no link: this team gives one, so the change goes through.
                answers[BlockId.STATUS_LINK.value] = "https://crm.example/opp/1"
                values = view_state(view, answers)
                self._send("view_submission", user=person, view=view["id"], values=values)
        found = self._follow_up_due()
        if found is None:
            return
        Users.seen["followed a card through"] += 1
        due, owner = found
        at = datetime.combine(due + timedelta(days=extra_days), time(10), self.world.settings.zone)
        self.let_time_pass(max((at - self.world.now()).total_seconds(), 0) / 3600)
        for _weekend in range(3):  # asked on working days only
            self.let_time_pass(24)
        dm = self.world.emulator.dm_channel_for(owner)
        stages = [
            c
            for m in self._bot_messages(dm)
            for c in message_controls(m, dm)
            if c.action_id.startswith(ActionId.FOLLOW_UP_STAGE)
        ]
        if stages:
            person = data.draw(st.sampled_from([owner, owner, owner, *PEOPLE]), label="person")
            self._use(data, person, stages)
            self.world.settle()
            self._maybe_fill_the_form(data, person)

    @rule(hours=st.sampled_from([0.5, 1.5, 25, 24 * 4, 24 * 7]))
    def let_time_pass(self, hours: float) -> None:
        """Reminders, drafts, nudges and digests come due."""
        self.world.pass_time(timedelta(hours=hours))
        self.world.settle()

    @rule(now=st.integers(0, 9))
    def restart_the_process(self, now: int) -> None:
        """The process dies and comes back on the same database (now and then: it is slow)."""
        if now == 0:
            self.world.restart()

    submit_a_modal_again = submit_a_modal

    # -- what must always hold --------------------------------------------------------

    @invariant()
    def every_request_was_acknowledged_in_time(self) -> None:
        invariants.answered_in_time(self.responses)
        self.responses.clear()

    @invariant()
    def slack_accepted_every_call(self) -> None:
        self.calls_checked = invariants.slack_accepted_everything(
            self.world.emulator, self.calls_checked
        )

    @invariant()
    def nothing_crashed(self) -> None:
        assert not self.world.log.failures(), self.world.log.failures()[-1]
        invariants.nobody_saw_an_apology(self.world.screens, PEOPLE)

    @invariant()
    def every_screen_tells_the_truth(self) -> None:
        stored = invariants.cards_tell_the_truth(self.world.screens, self.world.engine)
        Users.seen["most discoveries in a walk"] = max(
            Users.seen["most discoveries in a walk"], stored
        )

    # -- helpers ------------------------------------------------------------------------

    def _send(self, name: str, *args, **kwargs) -> None:
        """Send a request with the driver's method `name`, then let the world settle."""
        self.last_request = (name, args, kwargs)
        Users.seen[f"sent {name}"] += 1
        Users.reached.update(_ids_in(name, args, kwargs, self.world.emulator))
        self.responses.append(getattr(self.world.driver, name)(*args, **kwargs))
        self.world.settle()
        self._remember()

    def _use(
        self, data: st.DataObject, person: str, controls: list[Control], choices=Control.choices
    ) -> None:
        control = data.draw(st.sampled_from(controls), label="control")
        choice = data.draw(st.sampled_from(choices(control) or [None]), label="choice")
        Users.seen[f"used {control.kind} {control.action_id.split(':')[0]}"] += 1
        self._send("use", control, user=person, choice=choice)

    def _step_of_open_dialogue(self, person: str) -> str | None:
        """The question a scout's open dialogue asks now ("summary" at the end), or None."""
        with session_scope(self.world.engine) as session:
            return session.exec(
                select(DialogueSession.step).where(
                    DialogueSession.user_id == person, DialogueSession.status == DialogueStatus.OPEN
                )
            ).first()

    def _bot_messages(self, channel: str) -> list[dict]:
        return [
            m for m in self.world.screens.messages(channel) if m.get("user") == SEED.bot_user_id
        ]

    def _maybe_fill_the_form(self, data: st.DataObject, person: str) -> None:
        """If that opened a form, most people fill it sensibly and submit; some walk away."""
        view = self._modal(person)
        if view is not None and data.draw(st.integers(0, 3), label="fill it") > 0:
            answers = {f.block_id: _good_answer(f) for f in fields_of(view)}
            self._send(
                "view_submission", user=person, view=view["id"], values=view_state(view, answers)
            )

    def _digest_controls(self) -> list[tuple[str, list[Control]]]:
        found = []
        for person in SCOUTS:
            dm = self.world.emulator.dm_channel_for(person)
            controls = [c for m in self._bot_messages(dm) for c in message_controls(m, dm)]
            digest = [c for c in controls if c.action_id.startswith("digest_")]
            found += [(person, digest)] if digest else []
        return found

    def _home_paging(self, person: str) -> list[Control]:
        """Newer and Older on the person's Home tab, opened afresh."""
        self._send("app_home_opened", person)
        home = self.world.emulator.home_view(person)
        paging = [c for c in view_controls(home)] if home else []
        return [c for c in paging if c.action_id.startswith(ActionId.HOME_PAGE)]

    def _discoveries_of(self, person: str) -> int:
        with session_scope(self.world.engine) as session:
            mine = select(Discovery.id).where(Discovery.scout_user_id == person)
            return len(session.exec(mine).all())

    def _merge_choices(self) -> dict[int, tuple[Control, dict]]:
        """Each open discovery's card menu and its "Merge with…" choice, by discovery id."""
        found = {}
        for control in self._themes_menus():
            for choice in control.choices():
                what, _, discovery = str(choice.get("value", "")).partition(":")
                if what == "merge":
                    found[int(discovery)] = (control, choice)
        return found

    def _themes_menus(self) -> list[Control]:
        return [c for c in self._cards() if c.action_id == ActionId.CARD_MORE]

    def _theme_buttons(self) -> list[Control]:
        return [c for c in self._cards() if c.action_id == ActionId.THEME_ADD]

    def _cards(self) -> list[Control]:
        rooms = (SEED.sales, SEED.marketing, SEED.product)
        return [
            c for r in rooms for m in self.world.screens.messages(r) for c in message_controls(m, r)
        ]

    def _controls_for(self, person: str) -> list[Control]:
        emulator = self.world.emulator
        dm = emulator.dm_channel_for(person)
        found = [c for m in self.world.screens.messages(dm) for c in message_controls(m, dm)]
        for room in ROOMS:
            found += [
                c for m in self.world.screens.messages(room) for c in message_controls(m, room)
            ]
            mine = [m for m in self.world.screens.ephemerals(room) if m.get("to_user") == person]
            found += [c for m in mine for c in message_controls(m, room, ephemeral=True)]
        for view in (emulator.home_view(person), self._modal(person)):
            found += view_controls(view) if view else []
        return found

    def _remember(self) -> None:
        """Keep the newest controls people could see, to click later when they are stale."""
        emulator = self.world.emulator
        places = [(room, None) for room in ROOMS]
        places += [(emulator.dm_channel_for(p), p) for p in PEOPLE]  # a DM: its owner only
        for place, owner in places:
            newest = self.world.screens.messages(place)[-3:]
            self.remembered += [(owner, c) for m in newest for c in message_controls(m, place)]
        self.remembered = self.remembered[-REMEMBERED:]

    def _remembered_by(self, person: str) -> list[Control]:
        return [c for owner, c in self.remembered if owner in (None, person)]

    def _follow_up_due(self) -> tuple[date, str] | None:
        """The soonest day an actioned route still waits to be asked about, and who actioned it."""
        with session_scope(self.world.engine) as session:
            due = select(FollowUp.due_on, FollowUp.owner_user_id)
            due = due.where(col(FollowUp.due_on).is_not(None), FollowUp.asked < 2)
            found = session.exec(due.order_by(FollowUp.due_on)).first()
            return (found[0], found[1]) if found else None

    def _anything_happened_to_a_card(self) -> bool:
        with session_scope(self.world.engine) as session:
            return session.exec(select(StatusChange.id).limit(1)).first() is not None

    def _modal(self, person: str) -> dict | None:
        stack = self.world.emulator.modal_stack(person)
        return stack[-1] if stack else None


KEEP = object()  # leave the field as the modal was opened


def _good_answer(field) -> object:
    """What a scout who knows what to say puts in a modal field."""
    if field.kind in MULTIPLE:
        return [value for value, _label in field.options[:1]]
    if field.options:
        return field.options[0][0] if field.initial in (None, "") else field.initial
    if field.kind == "datepicker":
        return "2027-03-31"
    if field.kind == "conversations_select":
        return field.initial or SEED.product
    key = field.block_id.split(":")[0]
    return field.initial or GOOD.get(key, ["The board decides the budget"])[0]


def _ids_in(name: str, args: tuple, kwargs: dict, emulator) -> set[str]:
    """The action or callback id a request carries, as ids.py names it."""
    if name == "use":
        return {args[0].action_id.split(":")[0]}
    if name == "view_submission":
        return {emulator.view(kwargs["view"]).get("callback_id", "")}
    if name == "message_shortcut":
        return {kwargs["callback_id"]}
    return set()


def rendered_ids() -> set[str]:
    """The action and callback ids the app renders: each must be used by some walk."""
    return {str(i) for i in {*ActionId, *CallbackId} - {ActionId.MODAL_INPUT}}


def _question_key(message: dict) -> str | None:
    """Which question a bot message asks (its blocks say), or "summary"."""
    for block in message.get("blocks") or []:
        block_id = str(block.get("block_id", ""))
        if block_id.startswith(("pick:", "nav:")):
            return block_id.split(":", 1)[1]
        if block_id.startswith("routes:"):
            return "summary"
    return None


def _answer_for(field) -> st.SearchStrategy:
    """What a person may leave or put in one field of a modal."""
    empty = st.just([] if field.kind in MULTIPLE else None)
    if field.options:
        values = [value for value, _label in field.options]
        picked = st.sampled_from(values)
        if field.kind in MULTIPLE:
            picked = st.lists(st.sampled_from(values), unique=True, min_size=1)
        return st.one_of(picked, st.just(KEEP), empty)
    if field.kind == "datepicker":
        return st.one_of(st.just(KEEP), st.sampled_from(["2027-03-31", "2020-01-01"]), empty)
    if field.kind == "conversations_select":
        return st.one_of(st.just(KEEP), st.sampled_from(ROOMS), empty)
    sensible = st.sampled_from([a for answers in ANSWERS.values() for a in answers])
    return st.one_of(sensible, st.just(KEEP), st.sampled_from(SAYINGS), st.text(max_size=40), empty)


def walk_seeds() -> list[int]:
    """One seed per walk test: CI's fixed ones, a chosen one to replay, or a random one (deep)."""
    chosen = os.environ.get("VALUESCOUT_MODEL_SEED")
    if chosen:
        return [int(chosen)]
    return [random.randrange(2**32)] if DEEP else [FIRST_SEED + walk for walk in range(WALKS)]


def walk_settings() -> settings:
    """One walk per test in CI (xdist spreads them); a hundred longer ones when deep."""
    examples, steps = (100, 150) if DEEP else (1, STEPS)
    return settings(
        max_examples=int(os.environ.get("VALUESCOUT_MODEL_EXAMPLES", examples)),
        stateful_step_count=steps + 1,  # the first step opens the workspace
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


SEEDS = walk_seeds()


@pytest.mark.parametrize("walk_seed", SEEDS, ids=[f"walk{n}" for n in range(1, len(SEEDS) + 1)])
def test_people_using_every_path_never_meet_a_crash_or_a_lie(
    walk_seed: int, sqlite_template: str, tmp_path_factory, request: pytest.FixtureRequest
) -> None:
    """A model walk: every rule, every invariant, after every step. What it used is reported
    for the run's check that the walks together use every control (tests/model/reach.py)."""
    Users.template = sqlite_template
    Users.directory_factory = lambda: tmp_path_factory.mktemp("walk")
    Users.reached, Users.seen = set(), Counter()
    replay = "python3 dev.py test --deep" if DEEP else "python3 dev.py test tests/model"
    print(f"model walk seed {walk_seed}: replay with VALUESCOUT_MODEL_SEED={walk_seed} {replay}")
    try:
        run_state_machine_as_test(seed(walk_seed)(Users), settings=walk_settings())
    finally:
        print("model walk:", ", ".join(f"{k}: {v}" for k, v in sorted(Users.seen.items())))
    reach.record(
        request.node, walks=len(SEEDS), whole=DEEP or not os.environ.get("VALUESCOUT_MODEL_SEED"),
        reached=Users.reached, rendered=rendered_ids(),
    )  # fmt: skip
