"""A discovery's one status is what its teams' own answers add up to."""

import pytest

from bot.domain.lifecycle import overall
from storage.enums import DiscoveryStatus as S


@pytest.mark.parametrize(
    ("routes", "expected"),
    [
        ((S.NEW,), S.NEW),
        ((S.NEW, S.NEW), S.NEW),  # nobody answered: the scout may still edit it
        ((S.ACKNOWLEDGED, S.NEW), S.ACKNOWLEDGED),  # someone is on it
        ((S.DECLINED, S.NEW), S.ACKNOWLEDGED),  # one team declined, another still owes an answer
        ((S.ACTIONED, S.ACKNOWLEDGED), S.ACKNOWLEDGED),
        ((S.DECLINED, S.DECLINED), S.DECLINED),  # every team answered, nobody acted
        ((S.ACTIONED, S.DECLINED), S.ACTIONED),  # every team answered, one acted on it
        ((S.ACTIONED, S.WITHDRAWN), S.WITHDRAWN),  # the scout took it back from the rest
        ((), S.NEW),
    ],
)
def test_the_discoverys_status_follows_its_teams_answers(routes, expected):
    assert overall(routes) == expected
