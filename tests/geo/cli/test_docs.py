"""Docs as tests (as sqlite-utils does): every command has help and a README entry."""

from __future__ import annotations

import re

import click
import pytest

from geo.cli.main import main
from tests import REPO

README = REPO / "README.md"
COMMANDS = sorted(main.commands)


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    command = main.commands[name]
    assert command.help and command.help.strip(), f"conflictmap {name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"conflictmap {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name: str, readme: str) -> None:
    assert re.search(rf"conflictmap {re.escape(name)}\b", readme), (
        f"README.md does not document `conflictmap {name}`"
    )


def test_readme_documents_exit_codes(readme: str) -> None:
    assert re.search(r"exit code", readme, re.I), "README.md has no exit codes section"
    for code in ("0", "1", "2"):
        assert re.search(rf"`{code}`", readme), f"README.md does not explain exit code {code}"


def test_readme_documents_build_options(readme: str) -> None:
    for option in main.commands["build"].params:
        if isinstance(option, click.Option) and option.opts[0] != "--help":
            assert option.opts[0] in readme, f"README.md does not mention build {option.opts[0]}"
