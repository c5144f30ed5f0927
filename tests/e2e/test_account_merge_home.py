"""An admin merges two accounts from App Home: two selects, a confirmation, the same merge as
`valuescout accounts merge`; anyone else is refused, and a second confirmation changes nothing."""

from sqlmodel import select

from bot.emulator import SEED
from bot.rendering.ids import ActionId, BlockId
from storage.engine import session_scope
from storage.models import Account, Discovery
from tests.e2e.people import wait_until
from tests.e2e.test_account_owners import earlier_discovery


def two_accounts(engine) -> tuple[int, int]:
    """ "ACME Inc" (a scout's spelling, 2 discoveries) and the imported Acme Corporation."""
    with session_scope(engine) as session:
        typed = Account(team_id=SEED.team_id, name="ACME Inc")
        imported = Account(team_id=SEED.team_id, name="Acme Corporation", crm_id="CRM-1")
        session.add_all([typed, imported])
        session.flush()
        ids = typed.id, imported.id
    earlier_discovery(engine, ids[0], SEED.scout, days_ago=3)
    earlier_discovery(engine, ids[0], SEED.dana, days_ago=2)
    return ids


def home_button(driver, emulator, user: str, label: str) -> dict:
    """Open the Home tab and click `label` on it."""
    driver.app_home_opened(user)
    home = wait_until(lambda: emulator.home_view(user), what="the Home tab")
    button = next(
        e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["text"]["text"] == label
    )  # fmt: skip
    driver.block_action(user=user, action_id=button["action_id"], value=button["value"], view=home)
    return home


def picks(source: int, target: int) -> dict:
    def option(key: int) -> dict:
        return {"type": "static_select", "selected_option": {"value": str(key)}}

    return {
        BlockId.MERGE_SOURCE.value: {ActionId.MODAL_INPUT.value: option(source)},
        BlockId.MERGE_TARGET.value: {ActionId.MODAL_INPUT.value: option(target)},
    }


def admin_dm(emulator) -> str:
    return str(emulator.messages(emulator.dm_channel_for(SEED.admin)))


def test_an_admin_picks_two_confirms_and_the_discoveries_move(driver, emulator, engine):
    typed, imported = two_accounts(engine)
    home_button(driver, emulator, SEED.admin, "Merge accounts")
    modal = wait_until(lambda: emulator.modal_stack(SEED.admin), what="the merge modal")[-1]
    nothing = {"type": "static_select", "selected_option": None}
    values = {
        block.value: {ActionId.MODAL_INPUT.value: nothing} for block in BlockId if "merge" in block
    }
    empty = driver.view_submission(user=SEED.admin, view=modal["id"], values=values)
    assert empty.json["response_action"] == "errors" and "Pick an account" in str(empty.json)
    same = driver.view_submission(user=SEED.admin, view=modal["id"], values=picks(typed, typed))
    assert same.json["response_action"] == "errors" and "same account" in str(same.json)
    answer = driver.view_submission(
        user=SEED.admin, view=modal["id"], values=picks(typed, imported)
    )
    assert answer.json["response_action"] == "update"
    assert "2 discoveries move to *Acme Corporation*" in str(answer.json["view"])
    confirm = emulator.modal_stack(SEED.admin)[-1]
    assert driver.view_submission(user=SEED.admin, view=confirm, values={}).status == 200
    wait_until(lambda: "Merged *ACME Inc" in admin_dm(emulator), what="the admin's DM")
    with session_scope(engine) as session:
        assert {d.account_id for d in session.exec(select(Discovery))} == {imported}
        kept = session.get(Account, imported)
        assert session.get(Account, typed) is None and "ACME Inc" in kept.aliases
    driver.view_submission(user=SEED.admin, view=confirm, values={})  # a second click
    wait_until(lambda: "were not merged" in admin_dm(emulator), what="the refusal")


def test_someone_else_is_refused_and_nothing_moves(driver, emulator, engine):
    typed, _imported = two_accounts(engine)
    driver.app_home_opened(SEED.scout)
    home = wait_until(lambda: emulator.home_view(SEED.scout), what="the Home tab")
    assert "Merge accounts" not in str(home)
    driver.block_action(user=SEED.scout, action_id=ActionId.ACCOUNT_MERGE.value, value="open")
    scout_dm = emulator.dm_channel_for(SEED.scout)
    wait_until(lambda: "admin" in str(emulator.messages(scout_dm)), what="the refusal")
    assert emulator.modal_stack(SEED.scout) == []
    with session_scope(engine) as session:
        assert session.get(Account, typed) is not None
