"""Finding accounts by a typed name: what an import or a merge just changed is matched at once."""

from storage.engine import session_scope
from storage.models import Account
from storage.queries.accounts import account_for_name, find_account, matching_account


def test_a_typed_name_matches_the_accounts_as_they_are_now(engine):
    with session_scope(engine) as session:
        assert matching_account(session=session, name="acme corp") is None
        session.add(Account(name="Acme Corporation"))
    with session_scope(engine) as session:
        acme = matching_account(session=session, name="ACME Corp.")
        assert acme is not None and acme.name == "Acme Corporation"
        acme.aliases = ["Roadrunner Supplies"]
        session.add(acme)
    with session_scope(engine) as session:
        assert matching_account(session=session, name="roadrunner supplies, inc").id == acme.id


def test_a_new_name_becomes_an_account_once_and_then_matches(engine):
    with session_scope(engine) as session:
        initech = account_for_name(session=session, name="  Initech   Ltd ")
        assert initech.name == "Initech Ltd"
        assert account_for_name(session=session, name="initech").id == initech.id
        assert find_account(session=session, ref=f"#{initech.id}").id == initech.id
