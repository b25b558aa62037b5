"""The ``hailuo`` group lists exactly the commands its modules define, with their own summaries,
and loads them lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hailuo_dsl.cli import COMMANDS, cli


def test_every_module_defines_exactly_the_commands_listed_for_it_with_their_summaries() -> None:
    defined = {name: entry.module for entry in COMMANDS.values() for name in entry.module()}
    assert defined == {name: entry.module for name, entry in COMMANDS.items()}
    for name, entry in COMMANDS.items():
        assert entry.module()[name].get_short_help_str(limit=1000) == entry.summary, name


def test_help_and_version_load_no_command_module() -> None:
    code = (
        "import sys\n"
        "from hailuo_dsl.cli import cli\n"
        "for args in (['--help'], ['--version'], []):\n"
        "    try:\n"
        "        cli(args, prog_name='hailuo')\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('hailuo_dsl.cli.') or m.startswith('hailuo_dsl.rules')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert "hailuo " in out and "Commands:" in out


def test_help_lists_every_command_and_an_unknown_one_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and all(name in result.output for name in COMMANDS)
    result = CliRunner().invoke(cli, ["lnt"])
    assert result.exit_code == 2 and "lnt" in result.output


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "launch.shot"


@pytest.mark.parametrize("args", [["--prompt", "A boat [Pan left]."], [str(EXAMPLE)]], ids=["prompt", "script"])
def test_linting_does_not_load_the_client_emulator_or_language_server(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from hailuo_dsl.cli import cli\n"
        "try:\n"
        f"    cli(['lint', *{args!r}], prog_name='hailuo')\n"
        "except SystemExit as exit:\n"
        "    loaded = [m for m in ('httpx', 'hailuo_dsl.emulator', 'pygls') if m in sys.modules]\n"
        "    print(exit.code, loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "0 []"
