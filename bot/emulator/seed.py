"""The seeded "Acme Corp" workspace: ids every test and the demo can rely on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Person:
    """A seeded human member of the workspace."""

    id: str
    name: str
    real_name: str
    title: str
    tz: str = "Europe/Berlin"
    is_admin: bool = False


@dataclass(frozen=True)
class Room:
    """A seeded public channel, whether the bot is a member of it, and which people are (None:
    everyone seeded)."""

    id: str
    name: str
    bot_is_member: bool = True
    people: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Seed:
    """Ids of the seeded workspace, so callers never spell them by hand."""

    team_id: str = "T0VALUESCOUT"
    team_name: str = "Acme Corp"
    team_domain: str = "acme"
    enterprise_id: str | None = None  # the Grid organisation, for a workspace in one
    bot_token: str = "xoxb-emulator-token"
    bot_user_id: str = "U0BOT"
    bot_id: str = "B0BOT"
    app_id: str = "A0VALUESCOUT"
    bot_name: str = "valuescout"
    scout: str = "U0SCOUT"
    admin: str = "U0ADMIN"
    dana: str = "U0DANA"
    sally: str = "U0SALLY"
    coach: str = "U0COACH"
    sales: str = "C0SALES"
    marketing: str = "C0MARKETING"
    product: str = "C0PRODUCT"
    coaches: str = "C0COACH"
    general: str = "C0GENERAL"
    people: tuple[Person, ...] = field(
        default=(
            Person("U0SCOUT", "sam", "Sam Scout", "Customer Support"),
            Person("U0ADMIN", "alex", "Alex Admin", "IT Administrator", is_admin=True),
            Person("U0DANA", "dana", "Dana Product", "Product Manager"),
            Person("U0SALLY", "sally", "Sally Sales", "Account Executive", tz="Europe/London"),
            Person("U0COACH", "casey", "Casey Coach", "Sales Enablement Lead"),
        )
    )
    rooms: tuple[Room, ...] = field(
        default=(
            Room("C0SALES", "sales"),
            Room("C0MARKETING", "marketing"),
            Room("C0PRODUCT", "product"),
            Room("C0COACH", "enablement-coaches", people=("U0COACH", "U0ADMIN")),  # coaches only
            Room("C0GENERAL", "general", bot_is_member=False),
        )
    )

    @property
    def people_ids(self) -> list[str]:
        """Ids of the seeded humans, in seed order."""
        return [p.id for p in self.people]


SEED = Seed()

TEAM_ID = SEED.team_id
BOT_TOKEN = SEED.bot_token
BOT_USER_ID = SEED.bot_user_id
BOT_ID = SEED.bot_id
APP_ID = SEED.app_id


def workspace_seed(
    team_id: str, name: str, domain: str, *, enterprise_id: str | None = None
) -> Seed:
    """Another workspace laid out as Acme's: the same channel names and people, but channel
    ids of its own (as Slack's are unique across workspaces: C0GLOBEXSALES), so a post with
    one workspace's token to another's channel is `channel_not_found`, not a quiet leak. In a
    Grid organisation people's ids start with W: one id in every workspace of the organisation."""

    def person(user_id: str) -> str:
        return ("W" + user_id[1:]) if enterprise_id else user_id

    def channel(channel_id: str) -> str:
        return f"C0{team_id.removeprefix('T0')}{channel_id.removeprefix('C0')}"

    people = tuple(replace(p, id=person(p.id)) for p in SEED.people)
    rooms = tuple(
        replace(r, id=channel(r.id), people=r.people and tuple(map(person, r.people)))
        for r in SEED.rooms
    )
    return replace(
        SEED, team_id=team_id, team_name=name, team_domain=domain, enterprise_id=enterprise_id,
        bot_token=f"xoxb-{domain}-seeded", people=people, scout=person(SEED.scout),
        admin=person(SEED.admin), dana=person(SEED.dana), sally=person(SEED.sally),
        coach=person(SEED.coach), rooms=rooms, sales=channel(SEED.sales),
        marketing=channel(SEED.marketing), product=channel(SEED.product),
        coaches=channel(SEED.coaches), general=channel(SEED.general),
    )  # fmt: skip


# A second workspace, and a Grid organisation of two, for installs by OAuth.
GLOBEX = workspace_seed("T0GLOBEX", "Globex", "globex")
GRID = "E0INITECH"
GRID_EAST = workspace_seed("T0INITEAST", "Initech East", "initech-east", enterprise_id=GRID)
GRID_WEST = workspace_seed("T0INITWEST", "Initech West", "initech-west", enterprise_id=GRID)
