"""Block Kit checks: reject what Slack rejects, with Slack's error shapes and json-pointers.

slack_sdk's models validate most component rules; Slack also enforces limits the
models do not (blocks per message, option text, plain_text_input.max_length, …).
Lengths are counted in Python code points, which is what Slack's documented
"characters" limits mean for all but the rarest astral-plane text.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.emulator.errors import ApiError

MAX_MESSAGE_TEXT = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
_SELECTS = {"static_select", "multi_static_select"}
_CHOICES = {"radio_buttons": 10, "checkboxes": 10, "overflow": 5}


def check_message(params: dict[str, Any]) -> None:
    """Raise `no_text`, `msg_too_long` or `invalid_blocks` for a chat.* message."""
    text, blocks = params.get("text"), params.get("blocks")
    if not text and not blocks and not params.get("attachments"):
        raise ApiError("no_text")
    if text and len(str(text)) > MAX_MESSAGE_TEXT:
        raise ApiError("msg_too_long")
    if blocks is not None:
        errors = block_errors(blocks, "/blocks", MAX_MESSAGE_BLOCKS)
        if errors:
            raise ApiError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
            )


def check_view(view: Any) -> None:
    """Raise `invalid_arguments` (with response_metadata.messages) for a bad modal/home view."""
    errors = view_errors(view)
    if errors:
        messages = [f"[ERROR] {e}" for e in errors]
        raise ApiError("invalid_arguments", response_metadata={"messages": messages})


def view_errors(view: Any) -> list[str]:
    """Everything Slack would reject in a view payload."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return ["must be one of modal, home [json-pointer:/view/type]"]
    errors: list[str] = []
    if kind == "modal" and not _text_of(view.get("title")):
        errors.append("missing required field: title [json-pointer:/view/title]")
    for key in ("title", "submit", "close"):
        _max_chars(errors, _text_of(view.get(key)), 24, f"/view/{key}/text")
    _max_chars(errors, view.get("private_metadata"), 3000, "/view/private_metadata")
    _max_chars(errors, view.get("callback_id"), 255, "/view/callback_id")
    _max_chars(errors, view.get("external_id"), 255, "/view/external_id")
    blocks = view.get("blocks")
    errors += block_errors(blocks if blocks is not None else [], "/view/blocks", MAX_VIEW_BLOCKS)
    has_input = isinstance(blocks, list) and any(_type(b) == "input" for b in blocks)
    if kind == "modal" and has_input and not view.get("submit"):
        errors.append("submit is required when an input block is present [json-pointer:/view]")
    if not errors:
        errors += _sdk_view_errors(view)
    return errors


def block_errors(blocks: Any, pointer: str, max_blocks: int) -> list[str]:
    """Everything Slack would reject in a list of blocks."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    for index, block in enumerate(blocks):
        errors += _one_block_errors(block, f"{pointer}/{index}")
    return errors


def _one_block_errors(block: Any, ptr: str) -> list[str]:
    if not isinstance(block, dict) or "type" not in block:
        return [f"missing required field: type [json-pointer:{ptr}]"]
    try:
        parsed = Block.parse(block)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        return [f"invalid block: {exc} [json-pointer:{ptr}]"]
    if parsed is None:
        return [f"unsupported type: {block['type']} [json-pointer:{ptr}/type]"]
    errors = [
        f"unknown field: {k} [json-pointer:{ptr}/{k}]" for k in block if k not in parsed.attributes
    ]
    errors += _limit_errors(block, ptr)
    if not errors:
        errors += _sdk_errors(parsed, ptr)
    return errors


def _sdk_errors(parsed: Any, ptr: str) -> list[str]:
    try:
        parsed.to_dict()
    except SlackObjectFormationError as exc:
        return [f"{exc} [json-pointer:{ptr}]"]
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        return [f"invalid block: {exc} [json-pointer:{ptr}]"]
    return []


def _sdk_view_errors(view: dict) -> list[str]:
    fields = {k: v for k, v in view.items() if k not in ("state", "id", "hash")}
    try:
        View(**fields).validate_json()
    except SlackObjectFormationError as exc:
        return [f"{exc} [json-pointer:/view]"]
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        return [f"invalid view: {exc} [json-pointer:/view]"]
    return []


def _limit_errors(block: dict, ptr: str) -> list[str]:
    errors: list[str] = []
    kind = block["type"]
    _max_chars(errors, block.get("block_id"), 255, f"{ptr}/block_id")
    if kind == "section":
        _max_chars(errors, _text_of(block.get("text")), 3000, f"{ptr}/text/text")
        fields = block.get("fields") or []
        _max_items(errors, fields, 10, f"{ptr}/fields")
        for i, f in enumerate(fields):
            _max_chars(errors, _text_of(f), 2000, f"{ptr}/fields/{i}/text")
        _element_errors(errors, block.get("accessory"), f"{ptr}/accessory")
    elif kind == "header":
        _max_chars(errors, _text_of(block.get("text")), 150, f"{ptr}/text/text")
    elif kind == "context":
        _max_items(errors, block.get("elements") or [], 10, f"{ptr}/elements")
    elif kind == "actions":
        elements = block.get("elements") or []
        _max_items(errors, elements, 25, f"{ptr}/elements")
        for i, element in enumerate(elements):
            _element_errors(errors, element, f"{ptr}/elements/{i}")
    elif kind == "input":
        _max_chars(errors, _text_of(block.get("label")), 2000, f"{ptr}/label/text")
        _max_chars(errors, _text_of(block.get("hint")), 2000, f"{ptr}/hint/text")
        _element_errors(errors, block.get("element"), f"{ptr}/element")
    return errors


def _element_errors(errors: list[str], element: Any, ptr: str) -> None:
    if not isinstance(element, dict):
        return
    kind = element.get("type")
    _max_chars(errors, element.get("action_id"), 255, f"{ptr}/action_id")
    _max_chars(errors, _text_of(element.get("placeholder")), 150, f"{ptr}/placeholder/text")
    if kind == "button":
        _max_chars(errors, _text_of(element.get("text")), 75, f"{ptr}/text/text")
        _max_chars(errors, element.get("value"), 2000, f"{ptr}/value")
        _max_chars(errors, element.get("url"), 3000, f"{ptr}/url")
    elif kind == "plain_text_input":
        for key in ("max_length", "min_length"):
            if isinstance(element.get(key), int) and element[key] > 3000:
                errors.append(f"must be less than 3001 [json-pointer:{ptr}/{key}]")
    if kind in _SELECTS or kind in _CHOICES:
        options = element.get("options") or []
        _max_items(errors, options, _CHOICES.get(kind, 100), f"{ptr}/options")
        for i, option in enumerate(options):
            _option_errors(errors, option, f"{ptr}/options/{i}")
        for g, group in enumerate(element.get("option_groups") or []):
            for i, option in enumerate(group.get("options") or []):
                _option_errors(errors, option, f"{ptr}/option_groups/{g}/options/{i}")


def _option_errors(errors: list[str], option: Any, ptr: str) -> None:
    if isinstance(option, dict):
        _max_chars(errors, _text_of(option.get("text")), 75, f"{ptr}/text/text")
        _max_chars(errors, option.get("value"), 150, f"{ptr}/value")


def _max_chars(errors: list[str], value: Any, limit: int, ptr: str) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(f"must be less than {limit + 1} characters [json-pointer:{ptr}]")


def _max_items(errors: list[str], items: Any, limit: int, ptr: str) -> None:
    if isinstance(items, list) and len(items) > limit:
        errors.append(f"no more than {limit} items allowed [json-pointer:{ptr}]")


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, dict):
        text = obj.get("text")
        return text if isinstance(text, str) else None
    return obj if isinstance(obj, str) else None


def _type(block: Any) -> str | None:
    return block.get("type") if isinstance(block, dict) else None
