"""Forms (modals) in the demo: shown with their fields numbered, filled with /set, sent with
/submit only when the Slack client would send them, closed with /close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.cli.demo.screen import Kind, Surface
from bot.cli.forms import fields_of, refusals, typed_value, view_state

if TYPE_CHECKING:
    from bot.cli.demo.session import Demo


@dataclass
class Form:
    """The open form as last shown, and what /set filled in on it."""

    view_id: str | None = None
    hash: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)


def show_modal(demo: Demo) -> None:
    """The form on top, when it is new or changed: what it asks, numbered, and how to fill it."""
    stack = demo.emulator.modal_stack(demo.user)
    form = demo.form
    if not stack or (stack[-1]["id"], stack[-1].get("hash")) == (form.view_id, form.hash):
        return
    view = stack[-1]
    changed = view["id"] == form.view_id  # Slack keeps what was typed when a form changes
    form.answers = form.answers if changed else {}
    form.view_id, form.hash = view["id"], view.get("hash")
    title = view.get("title", {}).get("text", "a form")
    texts = [block for block in view["blocks"] if block.get("type") != "input"]
    surface = Surface(Kind.MODAL, view_id=view["id"], owner=demo.user)
    heading = f"a form {'changed' if changed else 'opened'}: {title}"
    demo.screen.show(heading, {**view, "blocks": texts} if texts else None, surface)
    for line in [f.describe() for f in fields_of(view)]:
        demo.screen.say(line)
    demo.screen.say(
        "(fill a field with /set N ANSWER, then /submit or /close; unset fields keep their value)"
    )


def set_field(demo: Demo, rest: str) -> None:
    """/set N ANSWER on the open form."""
    view = _open(demo)
    if view is None:
        return
    number, _, typed = rest.strip().partition(" ")
    fields = {str(f.number): f for f in fields_of(view)}
    chosen = fields.get(number)
    if chosen is not None and chosen.kind in ("conversations_select", "channels_select"):
        typed = demo.channel_named(typed) or typed  # #sales, as a person picks it
    value = typed_value(chosen, typed) if chosen else None
    if chosen is None or value is None:
        hint = chosen.describe() if chosen else f"fields are 1 to {len(fields)}"
        demo.screen.say(f"can't set that: {hint}")
        return
    demo.form.answers[chosen.block_id] = value


def submit(demo: Demo, rest: str) -> None:
    """/submit: refused here, as by the Slack client, while a required field is empty."""
    view = _open(demo)
    if view is None:
        return
    refused = refusals(view, demo.form.answers)
    for field_, why in refused:
        demo.screen.say(f"{field_.number}. {field_.label}: {why}")
    if refused:
        demo.screen.say("(Slack keeps the form open and sends nothing until these are filled)")
        return
    values = view_state(view, demo.form.answers)
    answer = demo.driver.view_submission(user=demo.user, view=view["id"], values=values)
    errors = (answer.json or {}).get("errors") if answer.body.strip() else None
    numbers = {f.block_id: f.number for f in fields_of(view)}
    for block_id, error in (errors or {}).items():
        demo.screen.say(f"{numbers.get(block_id, '?')}. {error}")
    demo.after_action()


def close(demo: Demo, rest: str) -> None:
    """/close: Slack tells the app only if the form asked (notify_on_close)."""
    view = _open(demo)
    if view is None:
        return
    if view.get("notify_on_close"):
        demo.driver.view_closed(user=demo.user, view=view)
    else:
        with demo.emulator.workspace.transaction() as workspace:
            workspace.views.close(view["id"])
    demo.form.view_id = demo.form.hash = None
    demo.screen.say("(form closed)")
    demo.after_action()


def _open(demo: Demo) -> dict | None:
    stack = demo.emulator.modal_stack(demo.user)
    if not stack:
        demo.screen.say("no form is open")
        return None
    return stack[-1]
