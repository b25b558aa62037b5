"""The ``hailuo`` command line: one group, one module per family of commands.

Every command is a thin layer over the library; errors the user can act on are one line on
standard error, never a traceback. A command's module is imported only when that command runs, and
``hailuo --help`` lists the commands from the summaries below without importing any of them, so a
pre-commit hook or an editor's save action starts as fast as a plain Python linter.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass

import click


def _lint_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import lint_commands

    return lint_commands.COMMANDS


def _shot_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import shot_commands

    return shot_commands.COMMANDS


def _render_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import render_commands

    return render_commands.COMMANDS


def _plan_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import plan_commands

    return plan_commands.COMMANDS


def _take_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import take_commands

    return take_commands.COMMANDS


def _film_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import film_commands

    return film_commands.COMMANDS


def _task_commands() -> dict[str, click.Command]:
    from hailuo_dsl.cli import task_commands

    return task_commands.COMMANDS


def _emulator_command() -> dict[str, click.Command]:
    from hailuo_dsl.cli import emulator_command

    return emulator_command.COMMANDS


def _lsp_command() -> dict[str, click.Command]:
    from hailuo_dsl.cli import lsp_command

    return lsp_command.COMMANDS


def _mcp_command() -> dict[str, click.Command]:
    from hailuo_dsl.cli import mcp_command

    return mcp_command.COMMANDS


@dataclass(frozen=True, slots=True)
class Entry:
    """A command as ``hailuo --help`` lists it, and the module that defines it."""

    summary: str
    module: Callable[[], dict[str, click.Command]]


COMMANDS: dict[str, Entry] = {
    "lint": Entry("Lint prompt files (.prompt, .txt), .shot scripts, folders or - (stdin).", _lint_commands),
    "fmt": Entry("Format prompt files and .shot scripts: canonical directive spelling and bracket spacing.", _lint_commands),
    "rules": Entry("List every rule: code, name, severity, fixable, summary.", _lint_commands),
    "rule": Entry("Explain one rule (by code or name), with examples.", _lint_commands),
    "directives": Entry("List the fifteen camera directives: English, Chinese, what the camera does.", _lint_commands),
    "compile": Entry(
        "Compile SCRIPT.shot into API requests: one JSON object per line (shot, request, local_images, request_hash).",
        _shot_commands,
    ),
    "plan": Entry("Show what hailuo render would do now, and what it would cost, without doing it.", _plan_commands),
    "render": Entry("Render the shots of each SCRIPT to videos, resuming from its journal.", _render_commands),
    "jobs": Entry("List the shots of a script's render journal: state, task, progress, file or error.", _render_commands),
    "takes": Entry("List the takes of a script's shots: shot, take, task id, state, file (* the chosen take).", _take_commands),
    "pick": Entry("Choose the TAKE of SHOT used downstream: by the shots that continue it, and in the film.", _take_commands),
    "assemble": Entry("Join the chosen take of every shot, in script order, into one MP4 with its timeline.", _film_commands),
    "sheet": Entry("Draw a contact sheet: each shot's first and last frame (chosen take), labelled, in a grid.", _film_commands),
    "submit": Entry("Submit one task: SCRIPT --shot NAME, or --prompt TEXT.", _task_commands),
    "status": Entry("Show a task's status, progress and video URL.", _task_commands),
    "wait": Entry("Poll a task on the documented cadence until it completes or fails.", _task_commands),
    "download": Entry("Download a completed task's video (streamed to a temporary file, renamed when complete).", _task_commands),
    "emulator": Entry("Serve an emulator of the video API on 127.0.0.1 until Ctrl-C.", _emulator_command),
    "lsp": Entry("Run the language server for .shot scripts and prompt files (for editors).", _lsp_command),
    "mcp": Entry("Serve the toolkit to AI assistants over the Model Context Protocol (stdio).", _mcp_command),
}
"""Each command's summary (a test holds it equal to the command's own help) and its module."""


class _LazyGroup(click.Group):
    """A group whose commands are imported when one of them is looked up to run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        return None if entry is None else entry.module()[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, whole (click would cut them at 45 characters)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name].summary) for name in self.list_commands(ctx)])


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from hailuo_dsl.version import version

    click.echo(f"hailuo {version()}")
    ctx.exit()


@click.group(cls=_LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version, help="Show the version and exit."
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Lint, format, compile and render MiniMax-Hailuo-02 prompts and .shot scripts."""
    _resume_collection()
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


_collection_paused = False


def _resume_collection() -> None:
    """Turn the garbage collector back on (after :func:`main` paused it), its generations frozen:
    what start-up built (modules, rules, compiled patterns) lives as long as the process."""
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.freeze()
        gc.enable()


def main() -> None:
    """Console entry point. The garbage collector is paused while the command's modules load
    (they build only objects that live for the whole run; collecting them is wasted
    work, several milliseconds of start-up), and runs again before the command itself does."""
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True
    try:
        cli(prog_name="hailuo")
    except OSError as err:  # writing the output failed (a full disk, a closed terminal): one line
        _output_failed(err)
    finally:
        _resume_collection()


_WRITE_ERRORS = frozenset({5, 27, 28, 32, 122})
"""EIO, EFBIG, ENOSPC, EPIPE, EDQUOT: what writing to standard output or error can meet."""


def _output_failed(err: OSError) -> None:
    """Say in one line why the output could not be written (or, for any other operating-system
    error no command caught, what failed), and exit 2. Both streams are pointed at the null
    device first, so that Python's final flush of what is still buffered cannot fail again."""
    import os
    import sys

    if err.filename:
        message = f"{err.filename}: {err.strerror or err}"
    elif err.errno in _WRITE_ERRORS:
        message = f"cannot write the output: {err.strerror or err}"
    else:
        message = err.strerror or str(err) or type(err).__name__
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            except (OSError, ValueError):
                pass
    try:
        sys.stderr.write(f"hailuo: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    raise SystemExit(2)
