"""Check a deployment's copy of prompts/ (VALUESCOUT_PROMPTS_DIR) at start-up, then use it.

Every problem is one SettingsError line that names the file and the key, so an admin's edit
stops the start with a line to act on, not a traceback in the first conversation.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

import prompts
from bot.dialogue.amounts import UNKNOWN_BAND
from bot.dialogue.definition import DefinitionError, Kind, load_definition
from bot.domain.decline import DeclineError, load_reasons
from bot.domain.money import RatesError, check_covers, load_money, use_base_currency
from bot.domain.opener.lexicon import LexiconError, load_lexicon
from bot.domain.routing import RoutingError, load_rules
from bot.domain.theme_suggestions import SuggestionsError, load_suggestion_rules
from bot.domain.themes import NetworkError, load_network, use_languages
from bot.rendering.text import environment_at
from bot.routes import Routes, current_routes
from bot.settings import Settings, SettingsError
from bot.wording import WordingError, check_copy

VARIABLE = "VALUESCOUT_PROMPTS_DIR"
PROBLEMS = (
    DefinitionError, RoutingError, NetworkError, LexiconError, WordingError, SuggestionsError,
    DeclineError,
)  # fmt: skip
HINT = "a full copy of prompts/ (copy the shipped one, then edit it)"


def use_prompts(settings: Settings) -> None:
    """Check the copy of prompts/ the settings name (if any), read every prompt from it from
    now on, and check that each VALUESCOUT_<ID>_CHANNEL names one of its routes."""
    if settings.prompts_dir is not None:
        check_prompts(settings.prompts_dir)
        for copy in prompts.workspace_copies(settings.prompts_dir).values():
            check_prompts(copy)  # a workspace's own copy: as whole, and as sound
    prompts.use_directory(settings.prompts_dir)
    _check_route_channels(settings, current_routes())
    _use_rates(settings)
    _use_languages(settings)
    for team in prompts.workspace_teams():
        with prompts.for_workspace(team):
            _use_rates(settings)
            _use_languages(settings)


def _use_languages(settings: Settings) -> None:
    """Refuse a language the value network has no stemmer for; match themes in the others."""
    try:
        load_network(languages=settings.languages)
    except NetworkError as problem:
        raise SettingsError(str(problem)) from None
    use_languages(settings.languages)


def _use_rates(settings: Settings) -> None:
    """Refuse rates that miss the base currency, a currency or a band the dialogue accepts."""
    try:
        money = load_money(base=settings.base_currency)
        for question in load_definition().questions:
            if question.kind is Kind.VALUE and question.key == "value":  # what value_base holds
                bands = [c.value for c in question.choices if c.value != UNKNOWN_BAND]
                check_covers(money, currencies=question.currencies, bands=bands)
    except RatesError as problem:
        raise SettingsError(str(problem)) from None
    use_base_currency(settings.base_currency)


def check_prompts(directory: Path) -> None:
    """Refuse a copy of prompts/ that misses a file or has a mistake in one."""
    if not directory.is_dir():
        raise SettingsError(f"{VARIABLE} {directory} is not a directory; {HINT}.")
    missing = [name for name in packaged_files() if not (directory / name).is_file()]
    if missing:  # all at once: an upgrade that ships new files names every one, and where it is
        shipped = Path(prompts.__file__).parent
        raise SettingsError(
            f"{directory}: missing {', '.join(missing)}; {VARIABLE} needs {HINT}: copy them from"
            f" {shipped}."
        )
    try:
        load_definition(directory / "dialogue.yaml")
        load_rules(directory / "routing.yaml")
        load_network(directory / "value_network.yaml")
        load_lexicon(directory / "opener.yaml")
        check_copy(directory / "texts.yaml")
        load_reasons(directory / "decline_reasons.yaml")
        load_suggestion_rules(directory / "theme_suggestions.yaml")
    except PROBLEMS as problem:
        raise SettingsError(str(problem)) from None
    _check_templates(directory)


def packaged_files() -> list[str]:
    """Every file a copy must hold: the YAML files and the message templates, by relative name."""
    shipped = resources.files(prompts)
    names = [entry.name for entry in shipped.iterdir() if entry.name.endswith(".yaml")]
    messages = shipped.joinpath("messages").iterdir()
    return sorted(names) + sorted(f"messages/{entry.name}" for entry in messages
                                  if entry.name.endswith(".j2"))  # fmt: skip


def _check_templates(directory: Path) -> None:
    environment = environment_at(directory)  # with the app's filters (mention, channel)
    for template in sorted((directory / "messages").glob("*.j2")):
        try:
            environment.get_template(template.name)
        except TemplateSyntaxError as problem:
            raise SettingsError(f"{template}: line {problem.lineno}: {problem.message}") from None
        except TemplateError as problem:
            raise SettingsError(f"{template}: {problem}") from None


def _check_route_channels(settings: Settings, routes: Routes) -> None:
    for route in settings.channels_by_route:
        if route not in routes:
            raise SettingsError(
                f"VALUESCOUT_{route.upper()}_CHANNEL: {prompts.source_name('routing.yaml')}: "
                f"routes: has no route {route!r} (it has {', '.join(routes.ids)})."
            )
