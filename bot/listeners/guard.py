"""Requests Slack signed but no Slack client sends: refused in one log line with a reference.

A 5xx makes Slack send the same request again, so what cannot be read gets a 4xx, or, for a
modal, an answer the person can act on: the field to retype, or a form to start again.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.logs import new_reference
from bot.rendering.account_merge import merge_pair
from bot.rendering.edits import discovery_of, origin_of
from bot.rendering.follow_through import StageRef
from bot.rendering.ids import CallbackId
from bot.rendering.merge import merge_target_of
from bot.rendering.modal import dialogue_of
from bot.rendering.refusals import unreadable_field_text, unreadable_form_modal
from bot.rendering.retheme import retheme_form
from bot.rendering.status import CardRef
from bot.web import SURROGATE_FREE

log = logging.getLogger(__name__)
# Half of a UTF-16 pair: JSON can escape one ("\ud800"), but no UTF-8 text, database or
# Slack message can hold it. A whole pair is decoded to one character before this sees it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
METADATA_ERRORS = (ValueError, TypeError, KeyError, OverflowError, AttributeError)
# How each modal's private_metadata is read; a modal without metadata (config) has none.
METADATA: dict[str, Callable[[dict], object]] = {
    CallbackId.DISCOVERY_MODAL: dialogue_of,
    CallbackId.DISCOVERY_ROUTES: dialogue_of,
    CallbackId.STATUS_ACTIONED: CardRef.of_view,
    CallbackId.STATUS_DECLINED: CardRef.of_view,
    CallbackId.STATUS_REROUTED: CardRef.of_view,
    CallbackId.DISCOVERY_EDIT: lambda view: (discovery_of(view), origin_of(view)),
    CallbackId.DISCOVERY_WITHDRAW: lambda view: (discovery_of(view), origin_of(view)),
    CallbackId.DISCOVERY_THEMES: retheme_form,
    CallbackId.ACCOUNT_MERGE_CONFIRM: lambda view: merge_pair(view["private_metadata"]),
    CallbackId.FOLLOW_UP_STAGE: StageRef.of_view,
    CallbackId.DISCOVERY_MERGE: merge_target_of,
}


def register(app: App) -> None:
    """Check every request before any listener sees it."""
    app.use(refuse_unreadable)


def refuse_unreadable(
    body: dict, context: BoltContext, next: Callable[[], None]
) -> BoltResponse | None:
    """Let readable requests through; answer the rest without a traceback or a retry."""
    walk = not context.get(SURROGATE_FREE)  # the HTTP layer saw no escape that could be one
    if body.get("type") == "view_submission":
        answer = _view_answer(body.get("view"), walk)
        if answer is not None:
            return answer
    if walk and has_lone_surrogate(body):
        return _malformed("a lone surrogate in the payload")
    next()
    return None


def has_lone_surrogate(value: Any) -> bool:
    """Whether any key or string in parsed JSON holds half a UTF-16 pair (iterative: any depth)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _view_answer(view: Any, walk: bool = True) -> BoltResponse | None:
    """Field errors for values that cannot be stored; a fresh start for unreadable metadata."""
    if not isinstance(view, dict):
        return _malformed("a view submission without a view")
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    blocks = values if isinstance(values, dict) else {}
    bad = {b: unreadable_field_text() for b, v in blocks.items() if walk and has_lone_surrogate(v)}
    if bad:
        _log(f"a lone surrogate in {len(bad)} field(s)")
        return _answer(200, {"response_action": "errors", "errors": bad})
    reader = METADATA.get(str(view.get("callback_id")))
    try:
        if reader is not None:
            reader(view)
    except METADATA_ERRORS:
        reference = _log("unreadable private_metadata")
        modal = unreadable_form_modal(reference)
        return _answer(200, {"response_action": "update", "view": modal})
    return None


def _malformed(reason: str) -> BoltResponse:
    """400, with the reference of the one log line that says why."""
    return _answer(400, {"error": "malformed request", "ref": _log(reason)})


def _log(reason: str) -> str:
    """One warning line with a new reference; never the body: it holds people's words."""
    reference = new_reference()
    log.warning("refused a signed Slack request (ref %s): %s", reference, reason)
    return reference


def _answer(status: int, answer: dict) -> BoltResponse:
    headers = {"content-type": ["application/json;charset=utf-8"]}
    return BoltResponse(status=status, body=json.dumps(answer), headers=headers)
