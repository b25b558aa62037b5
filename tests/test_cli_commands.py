"""The ``hailuo`` group lists exactly the commands its modules define, with their own summaries,
and loads them lazily."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

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
HEAVY = ("pydantic", "lark", "httpx", "rich", "pygls", "PIL", "hailuo_dsl.emulator", "hailuo_dsl.client", "hailuo_dsl.lsp")
"""Modules that a command may load only when it needs them."""
WATCHED = (*HEAVY, "importlib.metadata", "tomllib", "tomli", "json", "hailuo_dsl.rules", "hailuo_dsl.cli.lint_commands")


def _loaded_by(args: list[str], cache: Path, cwd: Path | None = None) -> tuple[int, list[str]]:
    """Run ``hailuo ARGS`` in a new interpreter: its exit code and which watched modules it loaded."""
    code = (
        "import sys\n"
        "from hailuo_dsl.cli import main\n"
        f"sys.argv = ['hailuo', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    code = exit.code or 0\n"
        f"print('\\nloaded:', code, sorted(m for m in {WATCHED!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "HAILUO_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=cwd).stdout
    status, loaded = out.rsplit("\nloaded: ", 1)[1].split(" ", 1)
    return int(status), ast.literal_eval(loaded)


def test_help_loads_no_rule_and_nothing_heavy(tmp_path: Path) -> None:
    assert _loaded_by(["--help"], tmp_path) == (0, [])
    assert _loaded_by([], tmp_path) == (0, [])
    assert _loaded_by(["--version"], tmp_path) == (0, ["importlib.metadata"])


def test_linting_a_prompt_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    """No configuration file: no pydantic and no TOML reader; terminals cached: no Lark; text
    output: no JSON; never the client, the emulator, the language server or the progress display."""
    prompt = tmp_path / "one.prompt"
    prompt.write_text("The camera [Push out] as the crowd cheers [pan left].\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = _loaded_by(["lint", str(prompt)], cache)
    assert first[0] == 1 and "pydantic" not in first[1]  # the first run builds the terminal cache with Lark
    loaded = ["hailuo_dsl.cli.lint_commands", "hailuo_dsl.rules"]
    assert _loaded_by(["lint", str(prompt)], cache) == (1, loaded)
    assert _loaded_by(["lint", "--prompt", "A boat [Pan left].", "--select", "HL1", "--duration", "10"], cache, tmp_path) == (
        0,
        loaded,
    )
    assert _loaded_by(["lint", "--output-format", "json", str(prompt)], cache) == (1, sorted([*loaded, "json"]))
    (tmp_path / "pyproject.toml").write_text('[tool.hailuo]\nignore = ["HL1"]\n', encoding="utf-8")
    status, configured = _loaded_by(["lint", str(prompt)], cache)
    assert status == 0 and {"pydantic", "tomllib" if sys.version_info >= (3, 11) else "tomli"} <= set(configured)


def test_linting_a_script_loads_neither_the_client_nor_lark(tmp_path: Path) -> None:
    _loaded_by(["lint", str(EXAMPLE)], tmp_path)  # fills the terminal cache
    status, loaded = _loaded_by(["lint", str(EXAMPLE)], tmp_path)
    assert status == 0
    assert not {"lark", "httpx", "rich", "pygls", "hailuo_dsl.emulator", "hailuo_dsl.client", "hailuo_dsl.lsp"} & set(loaded)
