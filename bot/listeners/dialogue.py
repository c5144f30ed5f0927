"""The DM dialogue: messages to the bot and the buttons of its questions and summary."""

from __future__ import annotations

import re
from dataclasses import replace

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.dialogue.events import (
    Ask,
    Back,
    Cancel,
    Edit,
    Keep,
    Notice,
    Pick,
    SetRoutes,
    Skip,
    Submit,
    Summary,
    interpret,
)
from bot.dialogue.sessions import recent_accounts
from bot.dialogue.turns import Turn, Who, take_turn
from bot.discoveries.joining import join_instead, joined_discovery
from bot.discoveries.supporters import find_lookalike
from bot.domain.supporters import Candidate
from bot.listeners.support import (
    Services,
    acknowledge,
    actor,
    after_ack,
    request_time,
    services,
    tell_privately,
    workspace_zone,
)
from bot.rendering.dialogue import (
    answered_blocks,
    answered_message,
    answered_then,
    skipped_message,
)
from bot.rendering.ids import ActionId, parse_action_value
from bot.rendering.supporters import joined_summary_message, parse_offer
from bot.rendering.text import NO_UNFURL
from bot.rendering.turns import effect_messages
from bot.wording import say

NAVIGATION = {
    ActionId.DIALOGUE_SKIP: lambda key, value: Skip(key),
    ActionId.DIALOGUE_BACK: lambda key, value: Back(key),
    ActionId.DIALOGUE_CANCEL: lambda key, value: Cancel(),
    ActionId.DIALOGUE_EDIT: lambda key, value: Edit(key),
    ActionId.DIALOGUE_KEEP: lambda key, value: Keep(key=key),
    ActionId.DIALOGUE_SUBMIT: lambda key, value: Submit(seen=value or None),
}


def register(app: App) -> None:
    """Listen for DMs and for the dialogue's buttons, menus and checkboxes (work after the ack)."""
    # Bolt matches an event's type and subtype only, never its channel_type: the matcher
    # keeps channel, private channel and group messages out (the catch-all answers them).
    app.event({"type": "message"}, matchers=[in_a_direct_message])(
        ack=acknowledge, lazy=[handle_direct_message]
    )
    app.action(re.compile(f"^{ActionId.DIALOGUE_PICK}(:.*)?$"))(ack=acknowledge, lazy=[handle_pick])
    # Submit too is acked first and stored after: storing waits for the database's write lock
    # (on SQLite, behind every other scout's step), which must not hold the ack. A click
    # whose work never ran (the process died) leaves the dialogue open at its summary with
    # every answer, and clicking Submit again stores it; a repeated click stores it once.
    for action_id in NAVIGATION:
        app.action(action_id.value)(ack=acknowledge, lazy=[handle_navigation])
    app.action(ActionId.DIALOGUE_ROUTES.value)(ack=acknowledge, lazy=[handle_routes])
    app.action(ActionId.DIALOGUE_SUPPORT.value)(ack=acknowledge, lazy=[handle_join])


def in_a_direct_message(body: dict) -> bool:
    """Only a scout's DM with the bot talks to it; a message anywhere else starts nothing."""
    return (body.get("event") or {}).get("channel_type") == "im"


@after_ack
def handle_direct_message(event: dict, body: dict, context: BoltContext, client: WebClient) -> None:
    """A scout's message: the next answer of the open dialogue, or the start of one."""
    if "subtype" in event or "bot_id" in event or "user" not in event:
        return  # edits, joins and bots (ourselves included) are not a scout talking
    text = event.get("text") or ""
    who = Who(context.team_id or body.get("team_id", ""), event["user"], event["channel"])
    turn = _turn(context, who, [interpret(text)], request_key=f"event:{body['event_id']}")
    if turn is not None:
        _say(client, context, who.channel_id, turn)


@after_ack
def handle_pick(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """A choice clicked or picked: answer the question it belongs to, once."""
    raw = action.get("value") or action["selected_option"]["value"]
    dialogue_id, key, value = parse_action_value(raw)
    turn = _turn(context, _who(context), [Pick(key, value)], dialogue_id=dialogue_id)
    stored = turn.state.answers.get(key)  # in the stored format (a band is {"band": ...})
    messages = _messages(context, turn)
    decided = turn.state.pending is None  # not a date gone by still waiting for the scout's word
    if stored is not None and decided and _went_on(turn):
        question = services(context).rules.definition.question(key)
        messages = _redraw(client, body, answered_message(question, stored), messages)
    _post(client, context, body["container"]["channel_id"], messages, turn)


@after_ack
def handle_navigation(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """Skip, Back, Cancel, Edit or Submit clicked."""
    dialogue_id, key, value = parse_action_value(action["value"])
    event = NAVIGATION[ActionId(action["action_id"])](key, value)
    turn = _turn(context, _who(context), [event], dialogue_id=dialogue_id)
    messages = _messages(context, turn)
    left_out = turn.state.step != key and key not in turn.state.answers  # not a follow-up's skip
    if isinstance(event, Skip) and left_out and _went_on(turn):
        question = services(context).rules.definition.question(key)
        messages = _redraw(client, body, skipped_message(question), messages)
    _post(client, context, body["container"]["channel_id"], messages, turn)


def _went_on(turn: Turn) -> bool:
    """The click was taken: nothing was refused or said about it."""
    return not any(isinstance(e, Notice) for e in turn.effects)


def _redraw(client: WebClient, body: dict, answered: dict, messages: list[dict]) -> list[dict]:
    """The clicked question's message shows its answer, its buttons gone (a stale click finds
    none); the next step goes below it in the same message when it fits: one call where an
    update and a post took two. The messages still to post."""
    earlier = answered_blocks(body.get("message") or {})
    redrawn = answered_then(answered, earlier, messages[0]) if messages else None
    container = body["container"]
    client.chat_update(
        channel=container["channel_id"], ts=container["message_ts"], **(redrawn or answered)
    )
    return messages[1:] if redrawn else messages


@after_ack
def handle_join(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """The summary's "Add my account to this one": the look-alike gains the scout's account."""
    dialogue_id, _key, value = parse_action_value(action["value"])
    discovery_id, seen = parse_offer(value)
    app = services(context)
    who = _who(context)
    turn = join_instead(
        engine=app.engine, rules=app.rules, who=who, dialogue_id=dialogue_id,
        discovery_id=discovery_id, seen=seen or None, now=request_time(context),
    )  # fmt: skip
    if _show_joined(client, body, app, who, dialogue_id) and not turn.stale:
        turn = replace(turn, effects=())  # joined just now: the summary said it (a repeat is told)
    _say(client, context, body["container"]["channel_id"], turn)


def _show_joined(client: WebClient, body: dict, app: Services, who: Who, dialogue_id: int) -> bool:
    """Redraw the clicked summary as joined, if the dialogue joined a discovery: what happened,
    the answers, and no buttons left to click in vain."""
    joined = joined_discovery(engine=app.engine, who=who, dialogue_id=dialogue_id)
    if joined is None:
        return False
    summary = joined_summary_message(
        body.get("message") or {}, discovery_id=joined.discovery_id, account=joined.account
    )
    container = body["container"]
    client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **summary)
    return True


@after_ack
def handle_routes(body: dict, action: dict, context: BoltContext, client: WebClient) -> None:
    """The teams ticked on the summary."""
    dialogue_id = int(action["block_id"].rpartition(":")[2])
    routes = tuple(option["value"] for option in action.get("selected_options", []))
    turn = _turn(context, _who(context), [SetRoutes(routes)], dialogue_id=dialogue_id)
    notices = tuple(effect for effect in turn.effects if isinstance(effect, Notice))
    if notices:  # ticking boxes needs no answer unless something was refused
        _say(
            client,
            context,
            body["container"]["channel_id"],
            Turn(turn.dialogue_id, turn.state, notices),
        )


def _turn(context: BoltContext, who: Who, events: list, **options) -> Turn | None:
    app = services(context)
    return take_turn(
        engine=app.engine, rules=app.rules, who=who, events=events, now=request_time(context),
        zone=workspace_zone(context), **options,
    )  # fmt: skip


def _say(client: WebClient, context: BoltContext, channel_id: str, turn: Turn) -> None:
    """Post what the step says, then let delivery post the discovery at once."""
    _post(client, context, channel_id, _messages(context, turn), turn)


def _messages(context: BoltContext, turn: Turn) -> list[dict]:
    """What the step says, as messages (the opening of a new dialogue first)."""
    opening = Notice(say(f"dialogue_opening_{turn.opened}")) if turn.opened else None
    effects = (opening, *turn.effects) if opening else turn.effects
    app = services(context)
    who = actor(context)
    suggestions = _suggestions(app, turn, who.team_id, who.user_id)
    return effect_messages(
        app.rules.definition, effects, dialogue_id=turn.dialogue_id, suggestions=suggestions,
        lookalike=lookalike_at_summary(app, turn, who.team_id, request_time(context)),
    )  # fmt: skip


def _post(
    client: WebClient, context: BoltContext, channel_id: str, messages: list[dict], turn: Turn
) -> None:
    """Post the messages, then let delivery post the discovery at once; someone else's
    button is refused to the clicker alone."""
    if turn.not_theirs:
        text = " ".join(e.text for e in turn.effects if isinstance(e, Notice))
        tell_privately(client, channel=channel_id, user=actor(context).user_id, text=text)
        return
    for message in messages:
        client.chat_postMessage(channel=channel_id, **(NO_UNFURL | message))
    if turn.created:
        services(context).wake_delivery()


def lookalike_at_summary(app: Services, turn: Turn, team_id: str, now) -> Candidate | None:
    """At the summary: the open discovery with the same outcome at another account, if any."""
    summary = next((e for e in turn.effects if isinstance(e, Summary)), None)
    if summary is None:
        return None
    with app.reading() as session:
        return find_lookalike(session=session, team_id=team_id, answers=summary.answers, now=now)


def _suggestions(app: Services, turn: Turn, team_id: str, user_id: str) -> dict[str, list[str]]:
    """The scout's accounts logged before, offered when the account is asked (spelled as before)."""
    if not any(isinstance(e, Ask) and e.question.key == "account" for e in turn.effects):
        return {}
    with app.reading() as session:
        return {"account": recent_accounts(session=session, team_id=team_id, user_id=user_id)}


def _who(context: BoltContext) -> Who:
    person = actor(context)
    return Who(person.team_id, person.user_id)
