"""The discovery modal's two steps: the answers (errors shown inline), then the teams and Submit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.dialogue.events import Notice, SetRoutes, Submit, Submitted
from bot.dialogue.turns import (
    Turn,
    Who,
    dialogue_answers,
    start_fresh,
    submitted_once,
    take_turn,
)
from bot.discoveries.joining import added_notice, join_instead, joined_discovery
from bot.discoveries.supporters import find_lookalike
from bot.domain.routing import facts_of, suggest_routes
from bot.domain.supporters import Candidate
from bot.listeners.support import (
    Services,
    acknowledge,
    actor,
    after_ack,
    request_time,
    request_today,
    services,
    workspace_zone,
)
from bot.rendering.ids import BlockId, CallbackId
from bot.rendering.modal import (
    answers_from_modal,
    chosen_join,
    chosen_routes,
    dialogue_of,
    routes_modal,
)
from bot.rendering.text import NO_UNFURL
from bot.rendering.turns import effect_messages
from bot.routes import current_routes
from bot.wording import say
from storage.enums import DiscoverySource


def register(app: App) -> None:
    """Listen for the modal's submissions."""
    app.view(CallbackId.DISCOVERY_MODAL.value)(handle_answers_submitted)
    app.view(CallbackId.DISCOVERY_ROUTES.value)(ack=handle_routes_submitted, lazy=[thank_the_scout])
    # Closing the modal keeps the dialogue open: /scout or a DM picks it up again.
    app.view_closed(CallbackId.DISCOVERY_MODAL.value)(acknowledge)
    app.view_closed(CallbackId.DISCOVERY_ROUTES.value)(acknowledge)


def handle_answers_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Check every answer; show what to fix on its field, or move on to choosing the teams."""
    app, now, who = services(context), request_time(context), _who(context)
    today = request_today(context)
    rules, dialogue_id = app.rules, dialogue_of(view)
    previous = dialogue_answers(engine=app.engine, who=who, dialogue_id=dialogue_id)
    answers, errors = answers_from_modal(rules.definition, view, previous=previous, today=today)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    answers = rules.definition.unasked(previous) | answers  # e.g. a shortcut's source link
    turn = _to_summary(app, who, dialogue_id, answers, now, workspace_zone(context))
    if turn.stale:  # cancelled or submitted by DM while the modal was open: keep these answers
        dialogue_id = start_fresh(engine=app.engine, rules=rules, who=who, answers=answers, now=now)
        turn = _to_summary(app, who, dialogue_id, answers, now, workspace_zone(context))
    facts = facts_of(turn.state.answers, today=today)
    suggested = suggest_routes(rules.routing, turn.state.answers, facts)
    suggestions = [(s.route, s.reason) for s in suggested]
    lookalike = _lookalike(app, who, turn.state.answers, now)
    view = routes_modal(
        rules.definition, turn.state.answers, suggestions, dialogue_id=dialogue_id,
        lookalike=lookalike,
    )  # fmt: skip
    ack(response_action="update", view=view)


def _lookalike(app: Services, who: Who, answers: dict, now) -> Candidate | None:
    """The open discovery with the same outcome at another account, if any."""
    with app.reading() as session:
        return find_lookalike(session=session, team_id=who.team_id, answers=answers, now=now)


def _to_summary(
    app: Services, who: Who, dialogue_id: int, answers: dict, now: datetime, zone: ZoneInfo
) -> Turn:
    """Replace the dialogue's answers with the modal's and move it to its summary."""
    return take_turn(
        engine=app.engine, rules=app.rules, who=who, events=[], now=now,
        dialogue_id=dialogue_id, answers=answers, replace_answers=True, to_summary=True,
        zone=zone,
    )  # fmt: skip


def handle_routes_submitted(ack: Ack, view: dict, context: BoltContext) -> None:
    """Store the discovery once, however often Submit arrives; refusals show on the field."""
    if chosen_join(view) is not None:
        _join(ack, view, context)
        return
    routes = chosen_routes(view)
    if not routes or not set(routes) <= set(current_routes().ids):  # none, or one not offered
        ack(response_action="errors", errors={BlockId.ROUTES.value: say("dialogue_pick_a_team")})
        return
    app = services(context)
    turn = take_turn(
        engine=app.engine, rules=app.rules, who=_who(context), events=[SetRoutes(tuple(routes)), Submit()],
        now=request_time(context), dialogue_id=dialogue_of(view), source=DiscoverySource.MODAL,
        request_key=f"view:{view['id']}:submit", zone=workspace_zone(context),
    )  # fmt: skip
    refusal = _refusal(turn)
    if refusal:
        ack(response_action="errors", errors={BlockId.ROUTES.value: refusal})
    else:
        ack(response_action="clear")


def _join(ack: Ack, view: dict, context: BoltContext) -> None:
    """Add the scout's account to the look-alike they ticked; a refusal shows on the box."""
    app, discovery_id = services(context), chosen_join(view)
    assert discovery_id is not None
    turn = join_instead(
        engine=app.engine, rules=app.rules, who=_who(context), dialogue_id=dialogue_of(view),
        discovery_id=discovery_id, seen=None, now=request_time(context),
    )  # fmt: skip
    if turn.discovery_id is None:
        notices = [effect.text for effect in turn.effects if isinstance(effect, Notice)]
        ack(response_action="errors", errors={BlockId.JOIN.value: notices[0]})
        return
    ack(response_action="clear")


@after_ack
def thank_the_scout(view: dict, context: BoltContext, client: WebClient) -> None:
    """Thank the scout in their DM, once per discovery, and let delivery post the cards now."""
    app, who = services(context), _who(context)
    answers = submitted_once(engine=app.engine, who=who, dialogue_id=dialogue_of(view))
    if answers is None:
        return
    joined = joined_discovery(engine=app.engine, who=who, dialogue_id=dialogue_of(view))
    effects = (added_notice(joined),) if joined else (Submitted(answers),)
    for message in effect_messages(app.rules.definition, effects, dialogue_id=dialogue_of(view)):
        client.chat_postMessage(channel=actor(context).user_id, **(NO_UNFURL | message))
    app.wake_delivery()


def _refusal(turn: Turn | None) -> str | None:
    """Why a submission was not stored (a duplicate or an already submitted one is no refusal)."""
    if (
        turn is None
        or turn.discovery_id is not None
        or turn.state.step in ("cancelled", "submitted")
    ):
        return None
    notices = [effect.text for effect in turn.effects if isinstance(effect, Notice)]
    return notices[0] if notices else say("modal_check_answers")


def _who(context: BoltContext) -> Who:
    person = actor(context)
    return Who(person.team_id, person.user_id)
