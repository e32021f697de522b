"""Command-line options shared by every command that loads the gazetteer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gazetteer.config import GazetteerConfig

F = TypeVar("F", bound=Callable[..., Any])


def gazetteer_options(f: F) -> F:
    """``--boundaries``, ``--name-column``, ``--online`` and ``--user-agent``."""
    options = [
        click.option(
            "--boundaries",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Your own boundaries (GeoJSON, GeoPackage, Shapefile) with a name column.",
        ),
        click.option("--name-column", help="Column of --boundaries holding the names."),
        click.option(
            "--online",
            is_flag=True,
            help="Ask Nominatim about names the offline gazetteer does not know "
            "(needs --user-agent; off by default).",
        ),
        click.option(
            "--user-agent", help="User agent for --online, e.g. 'myproject/1.0 me@x.org'."
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def gazetteer_config(
    boundaries: Path | None,
    name_column: str | None,
    online: bool,
    user_agent: str | None,
    **flags: bool,
) -> GazetteerConfig:
    """The :class:`GazetteerConfig` the options ask for; inconsistent options are usage errors.

    ``flags`` are further boolean fields of the config (``demonyms``, ``streets``, ...).
    """
    if online and not user_agent:
        raise click.UsageError(
            "--online needs --user-agent (Nominatim's usage policy asks for one that names you)"
        )
    if name_column and not boundaries:
        raise click.UsageError("--name-column only applies with --boundaries")
    return GazetteerConfig(
        boundaries=boundaries,
        boundaries_name_column=name_column,
        online=online,
        user_agent=user_agent,
        **flags,
    )
