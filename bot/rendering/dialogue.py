"""The DM dialogue as messages: one question at a time, then a summary to edit and submit."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bot.dialogue.answers import display_answer
from bot.dialogue.definition import Definition, Kind, Question
from bot.dialogue.events import AskMore, answers_version
from bot.domain.supporters import Candidate
from bot.rendering.ids import ActionId, BlockId, action_value
from bot.rendering.quality import quality_line
from bot.rendering.supporters import offer_blocks
from bot.rendering.text import NO_UNFURL, escape, escape_within, shorten
from bot.routes import current_routes
from bot.wording import say

BUTTONS_AT_MOST = 5  # more choices than this read better as a menu
MESSAGE_BLOCKS = 50  # Slack's most blocks in one message
SECTION_LIMIT = 3000


def question_message(
    question: Question,
    *,
    dialogue_id: int,
    position: tuple[int, int] | None = None,
    error: str | None = None,
    current: Any = None,
    suggestions: list[str] | None = None,
    challenge: str | None = None,
) -> dict:
    """Ask one question: its prompt and help, the choices (or suggested answers) as buttons."""
    if challenge:
        return challenge_message(question, challenge, current, dialogue_id=dialogue_id)
    counter = f"*{position[0]} of {position[1]}* · " if position else ""
    blocks: list[Block] = []
    if error:
        blocks.append(_section(f":warning: {escape_within(error, SECTION_LIMIT - 20)}"))
    blocks.append(_section(f"{counter}*{escape(question.prompt)}*"))
    if question.help:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(question.help))]))
    if current not in (None, ""):
        shown = shorten(display_answer(question, current), 500)
        now = escape_within(say("dialogue_now", answer=shown), 1000)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=now)]))
    if question.choices:
        blocks.append(_choices(question, dialogue_id))
    elif suggestions:
        blocks.append(_suggested(question, suggestions, dialogue_id))
    blocks.append(_navigation(question, dialogue_id, keep=current not in (None, "", [])))
    return {"text": question.prompt, "blocks": blocks}


def challenge_message(
    question: Question, challenge: str, current: Any, *, dialogue_id: int
) -> dict:
    """A thin answer's one challenge: type a better one (it replaces this), or keep it."""
    shown = shorten(display_answer(question, current), 500)
    answer = escape_within(say("dialogue_challenge_answer", answer=shown), 1000)
    blocks: list[Block] = [
        _section(f":bulb: *{escape_within(challenge, SECTION_LIMIT - 20)}*"),
        ContextBlock(elements=[MarkdownTextObject(text=answer)]),
        _navigation(question, dialogue_id, keep=True),
    ]
    return {"text": challenge, "blocks": blocks}


def follow_up_message(asked: AskMore, *, dialogue_id: int) -> dict:
    """A follow-up on an answer: its words, its buttons (a date gone by), and the way on."""
    key = f"{asked.question.key}.{asked.about}"  # its own block ids: not the question's
    blocks: list[Block] = []
    if asked.error:
        blocks.append(_section(f":warning: {escape_within(asked.error, SECTION_LIMIT - 20)}"))
    blocks.append(_section(f"*{escape(asked.prompt)}*"))
    if asked.help:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(asked.help))]))
    if asked.choices:
        buttons = [
            _pick_button(label, dialogue_id, asked.question.key, value, index)
            for index, (label, value) in enumerate(asked.choices)
        ]
        blocks.append(ActionsBlock(block_id=f"pick:{key}", elements=buttons))
    navigation = _navigation(asked.question, dialogue_id)
    navigation.block_id = f"nav:{key}"
    blocks.append(navigation)
    return {"text": asked.prompt, "blocks": blocks}


def answered_message(question: Question, value: Any, *, shown: str | None = None) -> dict:
    """A question once answered by a click: the answer (or `shown`) shown, the buttons gone."""
    answer = shown if shown is not None else display_answer(question, value)
    text = f":white_check_mark: {escape(question.prompt)}\n*{escape_within(answer, 1000)}*"
    block = SectionBlock(
        text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)),
        block_id=f"{BlockId.ANSWERED_PREFIX}{question.key}",
    )
    return {"text": shorten(f"{question.prompt} {answer}", 1000), "blocks": [block]}


def skipped_message(question: Question) -> dict:
    """A question skipped by its button: shown as left out, the buttons gone."""
    return answered_message(question, None, shown=say("dialogue_skipped_shown"))


def answered_then(answered: dict, earlier: list[dict], following: dict) -> dict | None:
    """The clicked question's message redrawn as its answers so far, then what follows (the
    next question): one chat.update instead of an update and a post; None if too long."""
    blocks = [*earlier, *answered["blocks"], *following["blocks"]]
    if len(blocks) > MESSAGE_BLOCKS:
        return None
    return {"text": following["text"], "blocks": blocks}


def answered_blocks(message: dict) -> list[dict]:
    """The answers a clicked message already shows (from earlier clicks on it), in order."""
    prefix = BlockId.ANSWERED_PREFIX.value
    return [b for b in message.get("blocks") or [] if str(b.get("block_id", "")).startswith(prefix)]


def summary_message(
    definition: Definition,
    answers: dict[str, Any],
    suggestions: list[tuple[str, str]],
    *,
    dialogue_id: int,
    notice: str | None = None,
    lookalike: Candidate | None = None,
) -> dict:
    """Every answer with an Edit button, the routes to confirm, and Submit or Cancel (or, for
    a look-alike of an open discovery, adding the scout's account to that one)."""
    title = say("dialogue_summary_title")
    blocks: list[Block] = [HeaderBlock(text=shorten(title, 150)), _quality(answers)]
    if notice:
        blocks.append(_section(f":information_source: {escape_within(notice, SECTION_LIMIT - 30)}"))
    blocks += [_answer_row(q, answers.get(q.key), dialogue_id) for q in definition.questions]
    blocks += [DividerBlock(), _section(f"*{escape(say('dialogue_which_teams'))}*")]
    blocks.append(_routes(answers.get("routes", []), dict(suggestions), dialogue_id))
    blocks += offer_blocks(lookalike, dialogue_id=dialogue_id, version=answers_version(answers))
    blocks.append(
        ActionsBlock(
            elements=[
                _button(
                    say("button_submit"),
                    ActionId.DIALOGUE_SUBMIT,
                    dialogue_id,
                    "submit",
                    answers_version(answers),
                    style="primary",
                ),
                _button(say("button_cancel"), ActionId.DIALOGUE_CANCEL, dialogue_id, "summary"),
            ]
        )
    )
    return {"text": title, "blocks": blocks}


def _quality(answers: dict[str, Any]) -> ContextBlock:
    """The completeness score and the one thing that would raise it, in one line."""
    text = f":bar_chart: {escape_within(quality_line(answers), 2900)}"
    return ContextBlock(block_id=BlockId.QUALITY.value, elements=[MarkdownTextObject(text=text)])


def plain_message(text: str) -> dict:
    """A short notice in the conversation (escaped: it may quote the scout)."""
    return plain_mrkdwn_message(escape_within(text, SECTION_LIMIT))


def plain_mrkdwn_message(mrkdwn: str) -> dict:
    """A short message of mrkdwn the app rendered itself (user text already escaped)."""
    return {"text": shorten(mrkdwn, SECTION_LIMIT), "blocks": [_section(mrkdwn)], **NO_UNFURL}


def _answer_row(question: Question, value: Any, dialogue_id: int) -> SectionBlock:
    shown = "—" if value in (None, "", []) else display_answer(question, value)
    label = f"*{escape(question.label)}*\n"
    text = label + escape_within(shown, SECTION_LIMIT - len(label))
    edit = _button(say("button_edit"), ActionId.DIALOGUE_EDIT, dialogue_id, question.key)
    return SectionBlock(text=MarkdownTextObject(text=text), accessory=edit)


def _routes(chosen: list[str], reasons: dict[str, str], dialogue_id: int) -> ActionsBlock:
    options = route_options(reasons)
    initial = [option for option in options if option.value in chosen]
    boxes = CheckboxesElement(
        action_id=ActionId.DIALOGUE_ROUTES.value, options=options, initial_options=initial or None
    )
    return ActionsBlock(block_id=f"{BlockId.ROUTES}:{dialogue_id}", elements=[boxes])


def route_options(reasons: dict[str, str]) -> list[Option]:
    """Every route to tick, in order: why it was suggested, or else what the team does."""
    return [
        Option(value=route.id, label=route.label, description=shorten(
            say("dialogue_suggested", reason=reasons[route.id]) if route.id in reasons
            else route.description, 75
        ))
        for route in current_routes()
    ]  # fmt: skip


def _choices(question: Question, dialogue_id: int) -> ActionsBlock:
    block_id = f"pick:{question.key}"
    if len(question.choices) <= BUTTONS_AT_MOST:
        buttons = [
            _pick_button(c.label, dialogue_id, question.key, c.value, index)
            for index, c in enumerate(question.choices)
        ]
        return ActionsBlock(block_id=block_id, elements=buttons)
    options = [
        Option(value=action_value(dialogue_id, question.key, c.value), label=shorten(c.label, 75))
        for c in question.choices
    ]
    menu = StaticSelectElement(
        action_id=ActionId.DIALOGUE_PICK.value, placeholder=say("menu_placeholder"), options=options
    )
    return ActionsBlock(block_id=block_id, elements=[menu])


def _suggested(question: Question, answers: list[str], dialogue_id: int) -> ActionsBlock:
    """Earlier answers to click instead of typing (e.g. accounts, spelled as before)."""
    buttons = [
        _pick_button(answer, dialogue_id, question.key, answer, index)
        for index, answer in enumerate(answers[:BUTTONS_AT_MOST])
    ]
    return ActionsBlock(block_id=f"pick:{question.key}", elements=buttons)


def _navigation(question: Question, dialogue_id: int, *, keep: bool = False) -> ActionsBlock:
    buttons = []
    if keep:  # an answer is given: go on with it (a challenged one, or one come back to)
        buttons.append(
            _button(say("button_keep"), ActionId.DIALOGUE_KEEP, dialogue_id, question.key)
        )
    if not question.required:
        buttons.append(
            _button(say("button_skip"), ActionId.DIALOGUE_SKIP, dialogue_id, question.key)
        )
    buttons.append(_button(say("button_back"), ActionId.DIALOGUE_BACK, dialogue_id, question.key))
    buttons.append(
        _button(say("button_cancel"), ActionId.DIALOGUE_CANCEL, dialogue_id, question.key)
    )
    return ActionsBlock(block_id=f"nav:{question.key}", elements=buttons)


def _button(
    label: str,
    action: ActionId,
    dialogue_id: int,
    key: str,
    value: str = "",
    style: str | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=shorten(label, 75)),
        action_id=action.value,
        value=action_value(dialogue_id, key, value),
        style=style,
    )


def _pick_button(label: str, dialogue_id: int, key: str, value: str, index: int) -> ButtonElement:
    """A choice: each button of a block needs its own action_id; the value carries the answer."""
    button = _button(label, ActionId.DIALOGUE_PICK, dialogue_id, key, value)
    button.action_id = f"{ActionId.DIALOGUE_PICK.value}:{index}"
    return button


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))


def kind_takes_typing(question: Question) -> bool:
    """Whether the scout answers by typing (a value question takes both)."""
    return question.kind in (Kind.TEXT, Kind.VALUE, Kind.DATE, Kind.EVENT)
