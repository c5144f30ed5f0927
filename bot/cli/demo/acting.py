"""Doing what a person does in the Slack client: use a control on a message or view, post in
a channel, run the message shortcut. Controls are read from the blocks (bot.emulator.controls).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.cli.demo.choices import Refused, choice_for, find_option
from bot.cli.demo.screen import Kind, Surface
from bot.cli.demo.surfaces import controls_of, newest_first, reach
from bot.cli.terminal import control_text
from bot.emulator import SEED
from bot.emulator.controls import Control, element_options
from bot.rendering.ids import CallbackId
from bot.rendering.ids import Command as Slash

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo

HANDLE = re.compile(r"m\d+", re.IGNORECASE)


def use(demo: Demo, rest: str) -> None:
    """/use m12 N [choice], or /use m12 LABEL: one control on one message, form or Home tab."""
    handle, _, words = rest.strip().partition(" ")
    surface = _surface(demo, handle, example="/use m12 2 uses control 2 of the message [m12]")
    if surface is None:
        return
    found = _target(demo, surface, handle, words.strip())
    if isinstance(found, str):
        demo.screen.say(found)
        return
    control, typed = found
    choice = choice_for(demo, surface, control, typed)
    if isinstance(choice, Refused):
        demo.screen.say(f"{handle}: {control_text(control.element)} takes {choice}")
        return
    press(demo, surface, control, choice)


def _surface(demo: Demo, handle: str, *, example: str) -> Surface | None:
    """The message or view called `handle`; None (said why) if there is none."""
    surface = demo.screen.find(handle) if HANDLE.fullmatch(handle) else None
    if surface is None and HANDLE.fullmatch(handle):
        demo.screen.say(f"there is no {handle}: messages are numbered as they are shown")
    elif surface is None:
        demo.screen.say(f"which message? e.g. {example}")
    return surface


def _target(demo: Demo, surface: Surface, handle: str, words: str) -> tuple[Control, str] | str:
    """The control and the choice typed for it; or why there is none."""
    content, problem = reach(demo, surface, handle)
    if content is None:
        return problem
    controls = controls_of(surface, content)
    if not controls:
        return f"{handle} has nothing to click"
    return _control(controls, words, handle)


def press(demo: Demo, surface: Surface, control: Control, choice: Any = None) -> None:
    """Send the click as Slack does, then show what the bot did about it."""
    demo.driver.use(control, user=demo.user, choice=choice)
    demo.after_action(surface)


def click(demo: Demo, rest: str) -> None:
    """/click LABEL [n]: the nth button so labelled on the newest message that has one."""
    words = rest.strip()
    if HANDLE.fullmatch(words.partition(" ")[0]):
        use(demo, words)
        return
    label, _, number = words.rpartition(" ")
    label, nth = (label, int(number)) if number.isdecimal() and label else (words, 1)
    for surface, content in newest_first(demo):
        buttons = labelled(controls_of(surface, content), label)
        if len(buttons) >= nth:
            press(demo, surface, buttons[nth - 1])
            return
    demo.screen.say(f"no button {label!r} here")


def labelled(controls: list[Control], label: str) -> list[Control]:
    """The buttons labelled `label` (any case); else those whose label starts with it, as
    people type the first word: /click Executive for "Executive / economic owner"."""
    buttons = [c for c in controls if c.kind == "button"]
    wanted = label.strip().lower()
    exact = [c for c in buttons if c.label.lower() == wanted]
    return exact or [c for c in buttons if wanted and c.label.lower().startswith(wanted)]


def shortcut(demo: Demo, rest: str) -> None:
    """/shortcut m12: the message shortcut *Log value discovery* on that message."""
    handle = rest.strip()
    surface = _surface(demo, handle, example="/shortcut m12 on the message shown as [m12]")
    if surface is None:
        return
    if surface.kind is not Kind.MESSAGE:
        demo.screen.say(f"{handle} is not a message in a channel: shortcuts work on those")
        return
    _content, problem = reach(demo, surface, handle)
    if problem:
        demo.screen.say(problem)
        return
    demo.driver.message_shortcut(
        user=demo.user, callback_id=CallbackId.LOG_DISCOVERY_SHORTCUT.value,
        message=surface.ts, channel=surface.channel,  # type: ignore[arg-type]
    )  # fmt: skip
    demo.after_action(surface)


def say(demo: Demo, rest: str) -> None:
    """/say #channel TEXT: post as the person playing, where the bot may or may not be."""
    where, _, text = rest.strip().partition(" ")
    channel = demo.channel_named(where)
    if channel is None or not text.strip():
        demo.screen.say("say it where? e.g. /say #general Our stores take two weeks to onboard")
        return
    ts = demo.emulator.workspace.add_user_message(channel, demo.user, text.strip())
    surface = Surface(Kind.MESSAGE, channel=channel, ts=ts)
    demo.screen.show(f"{demo.where(channel)} · {demo.names[demo.user]}", {"text": text}, surface)


def scout(demo: Demo, rest: str) -> None:
    """/scout [text]: the slash command; Slack shows its answer only to the person."""
    channel = demo.emulator.dm_channel_for(demo.user)
    response = demo.driver.command(Slash.SCOUT.value, rest, user=demo.user, channel=channel)
    answer = response.json if response.body.strip().startswith("{") else {}
    shown = {key: answer[key] for key in ("text", "blocks") if key in answer}
    if shown and answer.get("response_type") == "in_channel":
        demo.emulator.workspace.post(channel, shown, user=SEED.bot_user_id)
    elif shown:
        demo.emulator.workspace.post_ephemeral(channel, demo.user, shown, require_member=False)
    demo.after_action()


def home(demo: Demo, rest: str) -> None:
    """/home: open the App Home tab (the app publishes it) and show it."""
    demo.driver.app_home_opened(demo.user)
    demo.wait_until_quiet()
    demo.show_home()


def _control(controls: list[Control], words: str, handle: str) -> tuple[Control, str] | str:
    """The control meant by `N [choice]`, a button's label or an option's label; or why not."""
    first, _, more = words.partition(" ")
    listing = "  ".join(f"{n}{control_text(c.element)}" for n, c in enumerate(controls, 1))
    if first.isdecimal():
        if 1 <= int(first) <= len(controls):
            return controls[int(first) - 1], more.strip()
        return f"{handle} has controls 1 to {len(controls)}: {listing}"
    named = labelled(controls, words)
    named = named or [c for c in controls if find_option(element_options(c.element), words)]
    if len(named) == 1:
        return named[0], "" if named[0].kind == "button" else words
    which = "which one" if named else "which control"
    return f"{which}? e.g. /use {handle} 1 — on {handle}: {listing}"
