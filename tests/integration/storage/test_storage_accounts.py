"""Finding accounts by a typed name: what an import or a merge just changed is matched at once;
an account's value as one total."""

from decimal import Decimal

from sqlmodel import select

from storage.engine import session_scope
from storage.enums import DiscoverySource, DiscoveryStatus, Fit, ValueBand
from storage.models import Account, Discovery, DiscoverySupporter
from storage.queries.accounts import (
    account_for_name,
    account_value_total,
    built_from_accounts,
    find_account,
    matching_account,
    merge_accounts,
)
from storage.queries.workspaces import adopt_unscoped_accounts

TEAM = "T0VALUESCOUT"


def test_a_typed_name_matches_the_accounts_as_they_are_now(engine):
    with session_scope(engine) as session:
        assert matching_account(session=session, team_id=TEAM, name="acme corp") is None
        session.add(Account(team_id=TEAM, name="Acme Corporation"))
    with session_scope(engine) as session:
        acme = matching_account(session=session, team_id=TEAM, name="ACME Corp.")
        assert acme is not None and acme.name == "Acme Corporation"
        acme.aliases = ["Roadrunner Supplies"]
        session.add(acme)
    with session_scope(engine) as session:
        assert (
            matching_account(session=session, team_id=TEAM, name="roadrunner supplies, inc").id
            == acme.id
        )


def test_a_new_name_becomes_an_account_once_and_then_matches(engine):
    with session_scope(engine) as session:
        initech = account_for_name(session=session, team_id=TEAM, name="  Initech   Ltd ")
        assert initech.name == "Initech Ltd"
        assert account_for_name(session=session, team_id=TEAM, name="initech").id == initech.id
        assert find_account(session=session, team_id=TEAM, ref=f"#{initech.id}").id == initech.id


def _discovery(key: str, account_id: int, **fields) -> Discovery:
    values = {
        "team_id": "T1", "scout_user_id": "U1", "account": "Globex", "outcome": "Faster audits",
        "gap": "Manual exports", "fit": Fit.YES, "source": DiscoverySource.DM, "source_key": key,
        "account_id": account_id,
    }  # fmt: skip
    return Discovery(**(values | fields))


def test_an_accounts_value_is_one_total_in_the_base_currency_approximate_with_a_band(engine):
    with session_scope(engine) as session:
        globex = account_for_name(session=session, team_id=TEAM, name="Globex")
        assert account_value_total(session=session, account_id=globex.id) == (None, False)
        amount = {"value_amount": Decimal(40000), "value_currency": "EUR"}
        session.add(_discovery("eur", globex.id, **amount, value_base=Decimal(42400)))
        session.add(_discovery("gone", globex.id, **amount, value_base=Decimal(42400),
                               status=DiscoveryStatus.WITHDRAWN))  # fmt: skip
    with session_scope(engine) as session:
        assert account_value_total(session=session, account_id=globex.id) == (Decimal(42400), False)
        session.add(_discovery("band", globex.id, value_band=ValueBand.FROM_10K_TO_100K,
                               value_base=Decimal(55000)))  # fmt: skip
    with session_scope(engine) as session:
        assert account_value_total(session=session, account_id=globex.id) == (Decimal(97400), True)


def test_a_merge_moves_the_supporters_that_name_the_account_that_goes(engine):
    with session_scope(engine) as session:
        acme, globex = (
            account_for_name(session=session, team_id=TEAM, name=n) for n in ("Acme", "Globex")
        )
        found = _discovery("d", globex.id)
        session.add(found)
        session.flush()
        session.add(DiscoverySupporter(discovery_id=found.id, account_id=acme.id, account="Acme",
                                       scout_user_id="U2", source_key="s"))  # fmt: skip
    with session_scope(engine) as session:  # refused by the foreign key before
        gone, kept = session.get(Account, acme.id), session.get(Account, globex.id)
        merge_accounts(session=session, source=gone, target=kept)
    with session_scope(engine) as session:
        assert session.exec(select(DiscoverySupporter.account_id)).all() == [globex.id]


def test_an_account_of_one_workspace_is_never_found_in_another(engine):
    with session_scope(engine) as session:
        acme = account_for_name(session=session, team_id=TEAM, name="Acme")
        session.add(Account(team_id="T0OTHER", name="Initech", crm_id="crm-1"))
        session.flush()
        for ref in ("Acme", f"#{acme.id}"):
            assert find_account(session=session, team_id="T0OTHER", ref=ref) is None
        assert find_account(session=session, team_id=TEAM, ref="crm-1") is None
        theirs = account_for_name(session=session, team_id="T0OTHER", name="Acme")
        assert theirs.id != acme.id and theirs.team_id == "T0OTHER"
        session.add(Account(team_id=TEAM, name="Initech", crm_id="crm-1"))  # one CRM, two teams
        session.flush()
        assert find_account(session=session, team_id=TEAM, ref="crm-1").team_id == TEAM


def test_accounts_stored_before_the_workspace_was_known_are_adopted_by_it_alone(engine):
    with session_scope(engine) as session:
        session.add(Account(name="Imported early"))  # team "": before any discovery
        session.add(Account(team_id="T0OTHER", name="Theirs"))
        session.flush()
        assert adopt_unscoped_accounts(session=session, team_id=TEAM) == 1
        teams = dict(session.exec(select(Account.name, Account.team_id)).all())
    assert teams == {"Imported early": TEAM, "Theirs": "T0OTHER"}


def test_what_is_built_from_the_accounts_is_built_again_only_when_an_account_changed(engine):
    builds: list[dict] = []

    def names(known: dict) -> list[str]:
        builds.append(known)
        return sorted(known)

    def built() -> list[str]:
        with session_scope(engine) as session:
            return built_from_accounts(session=session, team_id=TEAM, build=names)

    with session_scope(engine) as session:
        session.add(Account(team_id=TEAM, name="Acme"))
    assert built() == built() == ["Acme"]
    assert len(builds) == 1  # read and built once, then reused
    with session_scope(engine) as session:
        acme = session.exec(select(Account).where(Account.name == "Acme")).one()
        acme.aliases = ["Roadrunner"]
        session.add(acme)
    with session_scope(engine) as session:
        session.add(Account(team_id="T0OTHER", name="Elsewhere"))  # another workspace's
    assert built() == ["Acme"]
    assert builds[-1] == {"Acme": ["Roadrunner"]}  # the alias: built again
    with session_scope(engine) as session:
        session.add(Account(team_id=TEAM, name="Globex"))
    assert built() == ["Acme", "Globex"] and len(builds) == 3
