"""A question added only in a deployment's copy of prompts/ works on every surface a shipped one does.

The copy asks `competitor` (text, optional) after our fit, and in a second test `deal_stage`
(a choice). No Python names either: the DM asks them (typed, clicked or skipped), the /scout
modal has their field, the summary, the cards, the receipt and App Home show them, the edit
paths change them, they are stored in the answers document and exported under their keys.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import select

from bot.emulator import SEED, SlackEmulator
from bot.rendering.ids import ActionId, Command
from bot.settings import Settings
from storage.engine import session_scope
from storage.models import Discovery
from tests.e2e.conftest import e2e_settings
from tests.e2e.people import Scout, wait_until
from tests.e2e.test_app_home import open_home
from tests.e2e.test_card_actions import CARD_CHANNELS, Team
from tests.e2e.test_dialogue_dm import skip_the_rest
from tests.e2e.test_dialogue_modal import modal_state
from tests.e2e.test_edit_withdraw import card_menu, opened_modal, scout_opens
from tests.e2e.test_route_as_data import prompts_with

pytestmark = pytest.mark.sqlite_only  # how the app answers, not what storage does

COMPETITOR = """
  - key: competitor
    kind: text
    label: Competitor
    prompt: Which competitor is the customer also talking to?
    help: Leave it out if you don't know.
    required: false
    max_length: 100
"""
DEAL_STAGE = """
  - key: deal_stage
    kind: choice
    label: Deal stage
    prompt: Where is the deal with this customer?
    required: false
    choices:
      - {value: discovery, label: Discovery}
      - {value: proposal, label: Proposal}
      - {value: negotiation, label: Negotiation}
"""


def prompts_asking(tmp_path: Path, question: str) -> Path:
    """The shipped prompts/ copied, with a question added after our fit, only there."""
    copy = prompts_with(tmp_path, "\nrules:\n")  # routing.yaml as shipped
    dialogue = copy / "dialogue.yaml"
    text = dialogue.read_text("utf-8")
    assert "\n  - key: value\n" in text
    dialogue.write_text(text.replace("\n  - key: value\n", question + "\n  - key: value\n"))
    return copy


@pytest.fixture
def question() -> str:
    return COMPETITOR


@pytest.fixture
def prompts_copy(tmp_path, question: str) -> Path:
    return prompts_asking(tmp_path, question)


@pytest.fixture
def settings(emulator: SlackEmulator, database_url: str, prompts_copy: Path) -> Settings:
    return e2e_settings(emulator, database_url, VALUESCOUT_PROMPTS_DIR=str(prompts_copy))


def up_to_the_new_question(scout: Scout, account: str, expect: str) -> None:
    scout.say("hi", expect="Which customer")
    scout.say(account, expect="achieve")
    scout.say("Close the books in 3 days instead of 10", expect="stands in the way")
    scout.say(
        "Reconciliation is done by hand in spreadsheets for 10 days", expect="deliver this today"
    )
    scout.click("Partly", expect=expect)


def skip_value_and_event(scout: Scout) -> dict:
    """Leave the value, the compelling event, who cares and the evidence out; the summary."""
    scout.say("skip", expect="pressure")
    scout.say("skip", expect="Who wants")
    return skip_the_rest(scout)


def shown(message: dict) -> str:
    """A message as text: its line breaks read \\n, as between a label and its answer."""
    return str(message)


def summary_edit(scout: Scout, summary: dict, key: str, *, expect: str) -> dict:
    """Click Edit on the summary's row of one answer."""
    [row] = [b for b in summary["blocks"] if f":{key}:" in str(b.get("accessory", {}).get("value"))]
    button = row["accessory"]
    response = scout.driver.block_action(
        user=scout.user, action_id=ActionId.DIALOGUE_EDIT.value, value=button["value"],
        block_id=row.get("block_id"), message=summary, channel=scout.dm,
    )  # fmt: skip
    assert response.status == 200
    return scout.wait_for(expect)


def stored(engine) -> dict[str, dict]:
    """Each discovery's answers document, by account."""
    with session_scope(engine) as session:
        return {d.account: d.answers for d in session.exec(select(Discovery)).all()}


def exported(valuescout, capsys, prompts_copy: Path, fmt: str) -> str:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VALUESCOUT_PROMPTS_DIR", str(prompts_copy))
        capsys.readouterr()
        assert valuescout("export", "--format", fmt) == 0
    return capsys.readouterr().out


def test_a_text_question_added_only_in_prompts_works_on_every_surface(
    driver, emulator, engine, valuescout, capsys, prompts_copy
):
    scout, team = Scout(driver, emulator), Team(driver, emulator)
    # DM: asked after our fit, answered by typing; changed from the summary's Edit.
    up_to_the_new_question(scout, "Globex", expect="Which competitor")
    assert "Leave it out if you don't know." in str(scout.last())
    scout.say("Initrode", expect="worth")
    scout.say("40k EUR", expect="pressure")
    scout.say("skip", expect="Who wants")
    summary = skip_the_rest(scout)
    assert "*Competitor*\\nInitrode" in shown(summary)
    summary_edit(scout, summary, "competitor", expect="Now: Initrode")
    summary = scout.say("Initrode Global", expect="check and submit")
    assert "Initrode Global" in str(summary)
    scout.click("Submit", expect="on its way")

    # The cards, the receipt and App Home show it; the document keeps it.
    wait_until(lambda: all(emulator.messages(c) for c in CARD_CHANNELS), what="the cards")
    cards = team.wait_for_cards("Initrode Global")
    assert all("*Competitor*" in str(card) for card in cards)
    receipt = scout.wait_for("went to")
    assert "*Competitor*: Initrode Global" in str(receipt)
    assert "Initrode Global" in open_home(driver, emulator)
    assert stored(engine)["Globex"]["competitor"] == "Initrode Global"

    # Edit after submit: from the receipt, then from the card's ⋯ menu.
    view = scout_opens(scout, emulator, "Edit", receipt)
    state = modal_state(view, {"competitor": "Hooli"})
    assert "competitor" in [block.get("block_id") for block in view["blocks"]]
    answer = driver.view_submission(user=SEED.scout, view=view["id"], values=state)
    assert answer.json == {"response_action": "clear"}
    team.wait_for_cards("Hooli")
    before = len(emulator.calls_to("views.open"))
    card_menu(team, emulator, "edit", user=SEED.scout)
    view = opened_modal(emulator, SEED.scout, before)
    assert modal_state(view, {})["competitor"]["input"]["value"] == "Hooli"
    state = modal_state(view, {"competitor": "Vandelay"})
    assert driver.view_submission(user=SEED.scout, view=view["id"], values=state).json == {
        "response_action": "clear"
    }
    team.wait_for_cards("Vandelay")
    assert stored(engine)["Globex"]["competitor"] == "Vandelay"

    # Skipped in the DM: nothing stored, a dash on the summary, nothing on the card.
    up_to_the_new_question(scout, "Umbrella", expect="Which competitor")
    scout.click("Skip", expect="worth")
    assert "*Competitor*\\n—" in shown(skip_value_and_event(scout))
    scout.click("Submit", expect="on its way")
    assert "competitor" not in stored(engine)["Umbrella"]
    umbrella = wait_until(lambda: emulator.messages(SEED.product)[1:], what="its card")[0]
    assert "Umbrella" in shown(umbrella) and "Competitor" not in shown(umbrella)

    # The /scout modal has its field; what is typed there is stored.
    before = len(emulator.calls_to("views.open"))
    assert driver.command(Command.SCOUT.value, "", user=SEED.scout).status == 200
    view = opened_modal(emulator, SEED.scout, before)
    assert "Which competitor" in str(view)
    state = modal_state(view, {
        "account": "Soylent", "outcome": "Cut audit preparation to 3 days",
        "gap": "Evidence in 5 tools", "fit": "yes", "competitor": "Acme Analytics",
    })  # fmt: skip
    confirm = driver.view_submission(user=SEED.scout, view=view["id"], values=state)
    assert confirm.json["response_action"] == "update"
    assert "*Competitor*: Acme Analytics" in str(confirm.json["view"])
    routes = emulator.modal_stack(SEED.scout)[-1]
    done = driver.view_submission(
        user=SEED.scout, view=routes["id"], values=modal_state(routes, {})
    )
    assert done.json == {"response_action": "clear"}
    wait_until(lambda: "Soylent" in stored(engine), what="the modal's discovery")
    assert stored(engine)["Soylent"]["competitor"] == "Acme Analytics"

    # Exported under its key: a JSONL field and a CSV column.
    records = [
        json.loads(line)
        for line in exported(valuescout, capsys, prompts_copy, "jsonl").splitlines()
    ]
    assert {r["account"]: r["competitor"] for r in records} == {
        "Globex": "Vandelay", "Umbrella": None, "Soylent": "Acme Analytics",
    }  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(exported(valuescout, capsys, prompts_copy, "csv"))))
    assert {row["account"]: row["competitor"] for row in rows} == {
        "Globex": "Vandelay", "Umbrella": "", "Soylent": "Acme Analytics",
    }  # fmt: skip
    assert list(rows[0])[-4:] == ["competitor", "routes", "history", "supporters"]


@pytest.mark.parametrize("question", [DEAL_STAGE])
def test_a_choice_question_added_only_in_prompts_is_answered_by_its_button(
    driver, emulator, engine, valuescout, capsys, prompts_copy
):
    scout = Scout(driver, emulator)
    up_to_the_new_question(scout, "Globex", expect="Where is the deal")
    scout.click("Proposal", expect="worth")
    assert "*Deal stage*\\nProposal" in shown(skip_value_and_event(scout))
    scout.click("Submit", expect="on its way")
    card = wait_until(lambda: emulator.messages(SEED.product), what="the #product card")[0]
    assert "*Deal stage*\\nProposal" in shown(card)
    assert stored(engine)["Globex"]["deal_stage"] == "proposal"
    [record] = [
        json.loads(line)
        for line in exported(valuescout, capsys, prompts_copy, "jsonl").splitlines()
    ]
    assert record["deal_stage"] == "proposal"


EVERY_KIND = """
  - key: products
    kind: multi_choice
    label: Products
    prompt: Which of our products are involved?
    required: false
    choices:
      - {value: ledger, label: Ledger}
      - {value: payroll, label: Payroll}
      - {value: spend, label: Spend}

  - key: budget
    kind: value
    label: Budget
    prompt: What budget do they have for it?
    required: false
    currencies: [EUR, USD]
    choices:
      - {value: small, label: Small}
      - {value: large, label: Large}

  - key: go_live
    kind: date
    label: Go-live
    prompt: When do they want to go live?
    required: false

  - key: review
    kind: event
    label: Review
    prompt: When is their next review, and what is at stake?
    required: false
    max_length: 200
"""
EVERY_ANSWER = {
    "products": ["ledger", "spend"],
    "budget": {"amount": "5000", "currency": "EUR"},
    "go_live": "2031-06-30",
    "review": {"date": "2031-05-01", "pressure": "board review"},
}


@pytest.mark.parametrize("question", [EVERY_KIND])
def test_questions_of_every_kind_added_only_in_prompts_go_through_the_modal_and_edit(
    driver, emulator, engine, valuescout, capsys, prompts_copy
):
    before = len(emulator.calls_to("views.open"))
    assert driver.command(Command.SCOUT.value, "", user=SEED.scout).status == 200
    view = opened_modal(emulator, SEED.scout, before)
    state = modal_state(view, {
        "account": "Globex", "outcome": "Close the books in 3 days", "gap": "Spreadsheets",
        "fit": "not_yet", "products": ["ledger", "spend"], "budget:amount": "5k EUR",
        "go_live": "2031-06-30", "review": "2031-05-01", "review:pressure": "board review",
    })  # fmt: skip
    confirm = driver.view_submission(user=SEED.scout, view=view["id"], values=state)
    assert confirm.json["response_action"] == "update"
    routes = emulator.modal_stack(SEED.scout)[-1]
    done = driver.view_submission(
        user=SEED.scout, view=routes["id"], values=modal_state(routes, {})
    )
    assert done.json == {"response_action": "clear"}
    card = wait_until(lambda: emulator.messages(SEED.product), what="the #product card")[0]
    for shown_answer in ("*Products*\\nLedger, Spend", "*Budget*\\nEUR 5,000",
                         "*Go-live*\\n30 Jun 2031", "*Review*\\n1 May 2031 — board review"):  # fmt: skip
        assert shown_answer in shown(card)
    assert {k: stored(engine)["Globex"][k] for k in EVERY_ANSWER} == EVERY_ANSWER

    # The edit modal is prefilled with every kind; saving one change keeps all the others.
    receipt = Scout(driver, emulator).wait_for("went to")
    view = scout_opens(Scout(driver, emulator), emulator, "Edit", receipt)
    state = modal_state(view, {"go_live": "2031-07-01"})
    assert driver.view_submission(user=SEED.scout, view=view["id"], values=state).json == {
        "response_action": "clear"
    }
    wait_until(lambda: stored(engine)["Globex"]["go_live"] == "2031-07-01", what="the edit")
    after = stored(engine)["Globex"]
    assert {key: after[key] for key in EVERY_ANSWER} == EVERY_ANSWER | {"go_live": "2031-07-01"}

    rows = list(csv.DictReader(io.StringIO(exported(valuescout, capsys, prompts_copy, "csv"))))
    assert {key: rows[0][key] for key in EVERY_ANSWER} == {
        "products": '["ledger","spend"]', "budget": '{"amount":"5000","currency":"EUR"}',
        "go_live": "2031-07-01", "review": '{"date":"2031-05-01","pressure":"board review"}',
    }  # fmt: skip
