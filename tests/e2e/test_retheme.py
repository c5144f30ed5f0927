"""A team re-themes a discovery from its card (⋯ → Themes…): kept as a correction that wins
over the automatic match everywhere; others are refused; stale, repeated and empty forms too."""

from __future__ import annotations

from sqlmodel import select

from bot.discoveries.export.options import Window
from bot.discoveries.export.reading import export_records
from bot.emulator import SEED
from bot.rendering.ids import ActionId, BlockId
from storage.engine import session_scope
from storage.models import Discovery, ThemeCorrection
from tests.e2e.people import wait_until
from tests.e2e.test_card_actions import logged
from tests.e2e.test_dialogue_modal import modal_state
from tests.e2e.test_edit_withdraw import scout_opens
from tests.e2e.test_themes_command import ask, text_of

OUTSIDER = "U0OUTSIDER"


def pick_themes(team, emulator, *, user: str = SEED.dana, card: dict | None = None) -> None:
    """Pick Themes… from the card's ⋯ menu (the one shown now, or an older copy)."""
    card = card or team.card()
    [menu] = [
        e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["type"] == "overflow"
    ]  # fmt: skip
    option = next(o for o in menu["options"] if o["value"].startswith("themes:"))
    response = team.driver.block_action(
        user=user, action_id=ActionId.CARD_MORE.value, message=card, channel=SEED.product,
        selected_option=option,
    )  # fmt: skip
    assert response.status == 200, response.body


def themes_form(team, emulator, *, user: str = SEED.dana) -> dict:
    before = len(emulator.calls_to("views.open"))
    pick_themes(team, emulator, user=user)
    wait_until(lambda: len(emulator.calls_to("views.open")) > before, what="the Themes form")
    return emulator.modal_stack(user)[-1]


def submit(driver, view: dict, keys: list[str], *, user: str = SEED.dana):
    picked = {"type": "multi_static_select",
              "selected_options": [{"value": key} for key in keys]}  # fmt: skip
    values = {BlockId.THEMES.value: {"input": picked}}
    return driver.view_submission(user=user, view=view["id"], values=values)


def ticked(view: dict) -> list[str]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == BlockId.THEMES.value]
    return [o["value"] for o in block["element"].get("initial_options", [])]


def stored(engine) -> tuple[list[str], list[ThemeCorrection]]:
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        corrections = list(session.exec(select(ThemeCorrection)).all())
        return list(discovery.themes), corrections


def refusal_to(emulator, user: str, channel: str = SEED.product) -> str:
    """The note to one person: ephemeral beside the card, or a DM when they are not in the
    channel (Slack shows no ephemeral there)."""

    def notes() -> list[str]:
        beside = [n["text"] for n in emulator.ephemerals(channel) if n["to_user"] == user]
        return beside + [m["text"] for m in emulator.messages(emulator.dm_channel_for(user))]

    return wait_until(notes, what="a note")[-1]


def test_a_product_manager_re_themes_a_discovery_and_every_card_shows_it(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    automatic, _ = stored(engine)
    view = themes_form(team, emulator)
    assert ticked(view) == automatic  # the automatic match, preselected

    answer = submit(driver, view, ["cost_reduction", "compliance_risk"])

    assert answer.json == {"response_action": "clear"}
    for card in team.wait_for_cards("Compliance &amp; risk"):
        assert "Cost reduction" in str(card)
    themes, [correction] = stored(engine)
    assert themes == ["compliance_risk", "cost_reduction"]  # in the network's order
    assert correction.user_id == SEED.dana and correction.replaced == automatic
    assert next(export_records(engine=engine, window=Window()))["themes"] == themes


def test_a_correction_outlives_the_scouts_later_edit(driver, emulator, engine):
    scout, receipt, team = logged(driver, emulator)
    submit(driver, themes_form(team, emulator), ["compliance_risk"])
    team.wait_for_cards("Compliance &amp; risk")
    edit = scout_opens(scout, emulator, "Edit", receipt)
    driver.view_submission(
        user=SEED.scout, view=edit["id"],
        values=modal_state(edit, {"outcome": "Train every new hire in a day"}),
    )  # fmt: skip
    team.wait_for_cards("Train every new hire")

    assert stored(engine)[0] == ["compliance_risk"]  # not the onboarding the words now say


def test_an_empty_form_is_refused_on_its_field_and_nothing_changes(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    before, _ = stored(engine)
    view = themes_form(team, emulator)

    answer = submit(driver, view, [])

    assert answer.json["response_action"] == "errors"
    assert "at least one theme" in answer.json["errors"][BlockId.THEMES.value]
    assert stored(engine) == (before, [])


def test_a_form_saved_unchanged_stays_open_and_says_nothing_changed(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    before, _ = stored(engine)
    view = themes_form(team, emulator)
    assert len(ticked(view)) >= 1  # the automatic match: something to leave unchanged

    answer = submit(driver, view, list(reversed(ticked(view))))  # the same themes, reordered

    assert answer.json["response_action"] == "errors"
    assert "Nothing changed" in answer.json["errors"][BlockId.THEMES.value]
    assert stored(engine) == (before, [])


def test_someone_outside_the_cards_channels_is_refused_privately(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    emulator.workspace.add_user(OUTSIDER, "olly", "Olly Outsider")
    before, _ = stored(engine)
    opened = len(emulator.calls_to("views.open"))

    pick_themes(team, emulator, user=OUTSIDER)

    text = refusal_to(emulator, OUTSIDER)
    assert "Only members of the channels this discovery went to" in text
    assert f"<#{SEED.product}>" in text and f"<#{SEED.sales}>" in text
    assert len(emulator.calls_to("views.open")) == opened
    assert stored(engine) == (before, [])


def test_an_admin_outside_the_channels_may_re_theme(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    for channel in (SEED.product, SEED.sales):
        emulator.workspace.leave(channel, SEED.admin)
    view = themes_form(team, emulator, user=SEED.admin)

    submit(driver, view, ["compliance_risk"], user=SEED.admin)

    team.wait_for_cards("Compliance &amp; risk")
    assert stored(engine)[0] == ["compliance_risk"]


def test_a_member_who_left_before_submitting_is_refused(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    before, _ = stored(engine)
    view = themes_form(team, emulator)
    for channel in (SEED.product, SEED.sales):
        emulator.workspace.leave(channel, SEED.dana)

    submit(driver, view, ["compliance_risk"])

    assert "Only members of the channels" in refusal_to(emulator, SEED.dana)
    assert stored(engine) == (before, [])


def test_submitting_the_same_form_twice_keeps_one_correction(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    view = themes_form(team, emulator)

    submit(driver, view, ["compliance_risk"])
    team.wait_for_cards("Compliance &amp; risk")
    again = submit(driver, view, ["compliance_risk"])

    assert again.status == 200
    themes, corrections = stored(engine)
    assert themes == ["compliance_risk"] and len(corrections) == 1


def test_a_form_opened_before_someone_elses_change_is_refused_as_stale(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    old = themes_form(team, emulator, user=SEED.sally)  # opened first, submitted last
    submit(driver, themes_form(team, emulator), ["compliance_risk"])
    team.wait_for_cards("Compliance &amp; risk")

    submit(driver, old, ["cost_reduction"], user=SEED.sally)

    text = refusal_to(emulator, SEED.sally)
    assert f"<@{SEED.dana}> changed these themes while your form was open" in text
    assert "Compliance &amp; risk" in text
    themes, corrections = stored(engine)
    assert themes == ["compliance_risk"] and len(corrections) == 1


def test_an_old_copy_of_a_withdrawn_discoverys_card_is_refused(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    card = team.card()
    with session_scope(engine) as session:
        discovery = session.exec(select(Discovery)).one()
        discovery.status = "withdrawn"
        session.add(discovery)

    pick_themes(team, emulator, card=card)

    assert "was withdrawn" in refusal_to(emulator, SEED.dana)


def test_scout_themes_counts_the_discovery_under_the_theme_people_chose(driver, emulator, engine):
    _scout, _receipt, team = logged(driver, emulator)
    submit(driver, themes_form(team, emulator), ["compliance_risk"])
    team.wait_for_cards("Compliance &amp; risk")

    answer = text_of(ask(driver, emulator, "themes compliance"))

    assert "*Compliance &amp; risk*" in answer and ": 1 discovery, most valuable first" in answer
    assert "*Globex*: $42.4k, Onboard a new store in one day" in answer
