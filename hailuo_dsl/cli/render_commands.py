"""``hailuo render`` (a script's shots to videos, resumably) and ``hailuo jobs`` (what the journal holds).

Exit codes of ``render``: 0 every shot's video is on disk, 1 some shot is not (failed, unknown,
still running) or the script has errors, 2 usage or I/O error, 128 + N stopped by signal N
(Ctrl-C 130, SIGTERM 143, SIGHUP 129: every submit in flight has its answer recorded, the
journal is intact: run the same command again to resume).
"""

from __future__ import annotations

import asyncio
import dataclasses
import glob
import json
import os
import secrets
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from hailuo_dsl.cli.common import UsageError, base_url_option, os_message, require_api_key, require_file
from hailuo_dsl.cli.gate import config_for, has_errors, refuse, show_findings
from hailuo_dsl.cli.limits import download_limit_options, transfer_limits
from hailuo_dsl.cli.render_caps import cap_options, checked_caps, refuse_over_caps, script_pricing, totals_text
from hailuo_dsl.cli.render_display import Display, in_script_order, print_jobs, print_run
from hailuo_dsl.cli.signals import cancel_on_stop, exit_stopped
from hailuo_dsl.cli.tables import table_console
from hailuo_dsl.client import AsyncClient, HailuoError, TransferLimits
from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import BASE_URL_ENV, DEFAULT_BASE_URL, POLL_INTERVAL
from hailuo_dsl.render import (
    DEFAULT_CONCURRENCY,
    DEFAULT_WAIT_TIMEOUT,
    EMULATOR_ENDPOINT,
    Journal,
    JournalError,
    RenderSummary,
    default_out_dir,
    endpoint_of,
    find_journal,
    render_script,
)
from hailuo_dsl.render.figures import paid_totals
from hailuo_dsl.render.location import script_name
from hailuo_dsl.render.plan import CapExceeded
from hailuo_dsl.shots.result import CompileError

EMULATOR_TIME_SCALE = 300.0
"""``--emulator``: emulated seconds per real second (a 60 s task takes 0.2 s)."""


@contextmanager
def _api(emulator: bool, base_url: str | None, poll_interval: float, limits: TransferLimits) -> Iterator[AsyncClient]:
    """The client of the run: the real API (key from the environment, checked before anything is
    touched) or an in-process emulator."""
    if not emulator:
        require_api_key(" (or pass --emulator to render against the built-in emulator)")
        try:  # the client reads the key itself, so that its errors name the variable
            client = AsyncClient(
                api_key=None, base_url=base_url, poll_interval=poll_interval, first_poll_delay=poll_interval / 2, limits=limits
            )
        except HailuoError as err:  # a base URL that is not one, a key no header can carry
            raise UsageError(err.message) from None
        yield client
        return
    from hailuo_dsl.emulator import Emulator

    with Emulator(time_scale=EMULATOR_TIME_SCALE, seed=secrets.randbits(32)) as server:
        scale = EMULATOR_TIME_SCALE
        yield AsyncClient(
            api_key=server.api_key, base_url=server.url, poll_interval=10.0 / scale, first_poll_delay=5.0 / scale, limits=limits
        )


def _parse_adopt(values: tuple[str, ...]) -> dict[str, str]:
    adopt: dict[str, str] = {}
    for value in values:
        shot, sep, task = value.partition("=")
        if not sep or not shot.strip() or not task.strip():
            raise UsageError(f"--adopt {value!r}: write SHOT=TASK_ID")
        adopt[shot.strip()] = task.strip()
    return adopt


@click.command("render")
@click.argument("scripts", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="Shot-spec TOML (default: the script's spec line).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the videos [default: renders/<script name>/ beside the script, renders/<script name>.emulator/ with --emulator].",
)
@click.option(
    "--concurrency", type=click.IntRange(min=1), default=DEFAULT_CONCURRENCY, show_default=True, help="Shots in flight at a time."
)
@click.option("--emulator", is_flag=True, help="Render against the built-in emulator (no key, no network).")
@base_url_option
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Journal file [default: .hailuo/<script name>.journal.sqlite beside the script's real file; the name adds .emulator with --emulator, and the host for another --base-url].",
)
@click.option("--retry-failed", is_flag=True, help="Submit failed shots again (a new, paid task each).")
@click.option("--shot", "shots", multiple=True, metavar="NAME", help="Render only this shot (repeatable).")
@click.option(
    "--reroll",
    multiple=True,
    metavar="NAME",
    help="Render one more take of this shot (a new, paid task; repeatable); hailuo pick chooses the take used.",
)
@click.option(
    "--forget",
    multiple=True,
    metavar="NAME[:TAKE]",
    help="Start this shot (or take) over: its next submit is sent even if an earlier one may have been accepted.",
)
@click.option(
    "--adopt",
    multiple=True,
    metavar="SHOT[:TAKE]=TASK_ID",
    help="An unknown shot's (or take's) task, found in the account: follow it instead of submitting.",
)
@click.option(
    "--wait-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_WAIT_TIMEOUT,
    show_default=True,
    help="Seconds to follow a task in this run.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0, min_open=True),
    default=POLL_INTERVAL,
    show_default=True,
    help="Seconds between status queries (the API documents 10; faster only spends quota). Ignored with --emulator.",
)
@download_limit_options
@click.option(
    "--assemble",
    "assemble_film",
    is_flag=True,
    help="Then join the chosen takes into the film, with its timeline (as hailuo assemble does).",
)
@cap_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def render(
    scripts: tuple[Path, ...],
    spec: Path | None,
    out_dir: Path | None,
    concurrency: int,
    emulator: bool,
    base_url: str | None,
    journal_path: Path | None,
    retry_failed: bool,
    shots: tuple[str, ...],
    reroll: tuple[str, ...],
    forget: tuple[str, ...],
    adopt: tuple[str, ...],
    wait_timeout: float,
    poll_interval: float,
    max_download_mb: float,
    download_stall: float,
    download_deadline: float,
    assemble_film: bool,
    max_tasks: int | None,
    budget: float | None,
    rate: str | None,
    as_json: bool,
) -> None:
    """Render the shots of each SCRIPT to videos, resuming from its journal.

    Every step is journaled before the next: a shot whose submit may have been accepted is never
    submitted again. Rerun the same command after a crash or Ctrl-C to pick up where it stopped.
    A shot left "unknown" (its submit may or may not have created a task) waits for you: check
    the account, then --adopt SHOT=TASK_ID or --forget SHOT.

    A shot that continues another (@continue) is submitted once that shot's chosen take is
    downloaded and checked; independent chains run side by side. @takes N renders N takes of a
    shot, --reroll SHOT one more; the first one downloaded is chosen (hailuo pick changes it).

    Every script is compiled first, its prompts linted as `hailuo lint` lints them; findings go
    to standard error. If any script has an error, nothing is uploaded or submitted for any of
    them.

    Several scripts render one after another, each with its own journal and folder of videos; the
    options that name one script's files or shots (--spec, --out, --journal, --shot, --reroll,
    --forget, --adopt) then do not apply.

    Ctrl-C, SIGTERM and SIGHUP stop the run alike: every submit in flight has its answer
    recorded first.

    Caps: --max-tasks and --budget (and a spec's [render] budget, which counts what the
    script's journal paid already) refuse a render whose plan is over them, before any upload
    or submit (exit 1, the plan's totals printed; hailuo plan shows the plan). --rate (or
    [render] rate) spaces the submits of the whole run; a 429 holds them all for its Retry-After.

    Exit codes: 0 every video on disk, 1 some shot is not (or a script has errors: nothing sent), 2 usage
    or I/O error, 128 + N stopped by signal N (130 Ctrl-C, 143 SIGTERM).
    """
    from hailuo_dsl.shots.result import UnknownShotError

    per_script = {
        "--spec": spec,
        "--out": out_dir,
        "--journal": journal_path,
        "--shot": shots,
        "--reroll": reroll,
        "--forget": forget,
        "--adopt": adopt,
    }
    given = [name for name, value in per_script.items() if value]
    if len(scripts) > 1 and given:
        raise UsageError(f"{', '.join(given)}: only with one script; render the scripts one at a time to use it")
    for script in scripts:
        require_file(script)
    adopted = _parse_adopt(adopt)
    configs = {script: config_for(script) for script in scripts}
    _gate(scripts, spec, list(shots) or None, configs)
    jobs: list[tuple[Path, dict[str, Any]]] = [
        (
            script,
            {
                "spec": spec,
                "out_dir": out_dir or default_out_dir(script, emulator=emulator),
                "journal": journal_path,
                "endpoint": EMULATOR_ENDPOINT if emulator else None,
                "shots": list(shots) or None,
                "concurrency": concurrency,
                "retry_failed": retry_failed,
                "reroll": reroll,
                "forget": forget,
                "adopt": adopted,
                "wait_timeout": wait_timeout,
                "config": configs[script],
            },
        )
        for script in scripts
    ]
    stderr = Console(stderr=True)
    live = stderr.is_terminal and not as_json
    limits = transfer_limits(max_download_mb, download_stall, download_deadline)
    pace, allowance = checked_caps(jobs, emulator, base_url, max_tasks, budget, rate)
    for _script, options in jobs:
        options.update(pace=pace, allowance=allowance)
    try:
        with _api(emulator, base_url, poll_interval, limits) as client:
            summaries, stopped_by = asyncio.run(_run(client, stderr if live else None, jobs))
    except KeyboardInterrupt:  # before or after the run's event loop
        exit_stopped(signal.SIGINT, "The journals are intact: run the same command again to resume.")
    except (UnknownShotError, OSError) as err:
        raise UsageError(os_message(err)) from None
    except JournalError as err:
        raise UsageError(str(err)) from None
    except CapExceeded as err:  # a journal moved between the plan and the render: still refused
        refuse_over_caps(err.problems, err.plan)
    if stopped_by is not None:
        exit_stopped(stopped_by, "Every answer that came back is in the journal: run the same command again to resume.")
    done = [s for s in summaries if isinstance(s, RenderSummary)]
    if assemble_film:
        films = _films([(script, s) for (script, _), s in zip(jobs, summaries, strict=True)], emulator, base_url, stderr)
        done = [dataclasses.replace(s, film=films.get(s.journal)) for s in done]
    if as_json:
        found = [s.to_json() for s in done]
        if len(scripts) > 1:
            click.echo(json.dumps(found, indent=2))
        elif found:  # one script: its summary (nothing when it did not compile; stderr says why)
            click.echo(json.dumps(found[0], indent=2))
    else:
        rendered = [script for script, summary in zip(scripts, summaries, strict=True) if isinstance(summary, RenderSummary)]
        print_run(table_console(), list(zip(rendered, done, strict=True)), several=len(scripts) > 1)
    films_made = not assemble_film or all(s.film is not None for s in done)
    sys.exit(0 if len(done) == len(summaries) and all(s.ok for s in done) and films_made else 1)


def _films(
    rendered: list[tuple[Path, RenderSummary | CompileError]], emulator: bool, base_url: str | None, console: Console
) -> dict[Path, Path]:
    """``--assemble``: the film of each script rendered (whose every shot has its video), by journal."""
    from hailuo_dsl.cli.film import assemble_script

    films: dict[Path, Path] = {}
    for script, summary in rendered:
        if not isinstance(summary, RenderSummary):
            continue
        try:
            film = assemble_script(script, emulator, base_url, summary.journal, None, None, console)
        except UsageError as err:
            click.echo(f"hailuo: {script}: not assembled: {err.message}", err=True)
            continue
        films[summary.journal] = film.assembly.output
    return films


def _gate(scripts: tuple[Path, ...], spec: Path | None, shots: list[str] | None, configs: dict[Path, LintConfig]) -> None:
    """Compile every script before anything is sent, showing each one's findings as ``hailuo
    lint`` does; exit 1 when any has an error, so a run never pays for part of a batch that
    needs fixing (the others wait for the same command once it is fixed)."""
    from hailuo_dsl.shots.compiler import compile_script
    from hailuo_dsl.shots.result import UnknownShotError

    failed = []
    for script in scripts:
        try:
            result = compile_script(script, spec=spec, shots=shots, config=configs[script])
        except (UnknownShotError, OSError) as err:
            raise UsageError(os_message(err)) from None
        show_findings(str(script), result.script.text, result.diagnostics)
        if has_errors(result.diagnostics):
            failed.append(str(script))
    if failed and len(scripts) > 1:
        refuse(f"{', '.join(failed)}: errors; nothing was uploaded or submitted for any script")
    if failed:
        refuse()


async def _run(
    client: AsyncClient, console: Console | None, jobs: list[tuple[Path, dict[str, Any]]]
) -> tuple[list[RenderSummary | CompileError], int | None]:
    """Render each script in turn over one client; a script that does not compile is reported
    (on standard error) and the next one still renders. A stop signal cancels the run, which
    records every submit in flight before the journal closes; the signal is returned."""
    results: list[RenderSummary | CompileError] = []
    main = asyncio.current_task()
    assert main is not None
    with cancel_on_stop(main) as received:
        try:
            async with client:
                for script, options in jobs:
                    display = Display(console) if console is not None else None
                    try:
                        with display.progress if display is not None else nullcontext():
                            results.append(await render_script(script, client=client, on_event=display, **options))
                    except CompileError as err:
                        click.echo(str(err), err=True)
                        results.append(err)
        except asyncio.CancelledError:
            if not received:
                raise
    return results, received[0] if received else None


@click.command("jobs")
@click.argument("script", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--journal", "journal_path", type=click.Path(dir_okay=False, path_type=Path), help="Journal file to read.")
@click.option("--emulator", is_flag=True, help="Read the journal of SCRIPT's renders against the emulator.")
@base_url_option
@click.option("--json", "as_json", is_flag=True, help="Print the journal as JSON.")
def jobs(script: Path | None, journal_path: Path | None, emulator: bool, base_url: str | None, as_json: bool) -> None:
    """List the shots of a script's render journal: state, task, progress, file or error."""
    if journal_path is not None:
        path = journal_path
    elif script is not None:
        endpoint = EMULATOR_ENDPOINT if emulator else endpoint_of(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
        path = find_journal(script, endpoint)
    else:
        raise UsageError("give SCRIPT or --journal PATH")
    if not path.is_file():
        raise UsageError(f"{path}: no journal here (nothing rendered yet){_other_journals(path, script)}")
    try:
        with Journal(path, create=False) as journal:
            records, paid = journal.records(), journal.paid()
    except JournalError as err:
        raise UsageError(str(err)) from None
    totals = paid_totals(paid, script_pricing(script))
    if script is not None:
        records = in_script_order(records, script)
    if as_json:
        click.echo(json.dumps({"journal": str(path), "shots": [r.to_json() for r in records], "totals": totals}, indent=2))
        return
    print_jobs(table_console(), path, records, totals_text(totals))


def _other_journals(missing: Path, script: Path | None) -> str:
    """A hint naming the journals the script has for other APIs (the emulator's, another base URL's)."""
    if script is None or not missing.parent.is_dir():
        return ""
    name = script_name(script.resolve())
    others = sorted(p.name for p in missing.parent.glob(glob.escape(name) + ".*journal.sqlite") if p != missing)
    if others == [f"{name}.emulator.journal.sqlite"]:
        return "; the emulator's renders are listed with --emulator"
    return (
        f"; it has journals for other APIs: {', '.join(others)} (read one with --emulator, --base-url or --journal)"
        if others
        else ""
    )


COMMANDS: dict[str, click.Command] = {c.name: c for c in (render, jobs) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
