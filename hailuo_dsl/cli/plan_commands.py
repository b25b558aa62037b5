"""``hailuo plan``: what ``hailuo render`` would do now, without doing it; and the totals a render
refused by a cap prints.

Exit codes: 0 the plan is printed, 1 a script has errors, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from hailuo_dsl.cli.common import UsageError, base_url_option, os_message
from hailuo_dsl.cli.tables import table_console
from hailuo_dsl.render.figures import RenderPlan


def money(amount: float | None, currency: str | None) -> str:
    """``0.84 USD``, or ``unknown`` when there is no amount."""
    if amount is None:
        return "unknown"
    return f"{amount:.2f} {currency or ''}".rstrip()


def totals_line(plan: RenderPlan) -> str:
    """``3 tasks, 18 s at 768P, cost 0.84 USD``: the plan's totals in one line."""
    seconds = ", ".join(f"{s} s at {r}" for r, s in sorted(plan.clip_seconds().items())) or "no video"
    count = plan.task_count
    return f"{count} task{'' if count == 1 else 's'} to submit ({seconds}), cost {money(plan.cost, plan.currency)}"


def print_plan(console: Console, plan: RenderPlan) -> None:
    """The plan as people read it: a table of the tasks, the takes left alone, then the totals."""
    several = len(plan.scripts) > 1
    if plan.tasks:
        table = Table(title="Would submit (each a new, paid task)", title_justify="left")
        for column in (["script"] if several else []) + [
            "shot",
            "take",
            "reason",
            "mode",
            "resolution",
            "s",
            "cost",
            "uploads first",
        ]:
            table.add_column(column, overflow="fold")
        for t in plan.tasks:
            reason = t.why.value + (f" ({t.after})" if t.after else "")
            cells = [t.shot, str(t.take), reason, t.mode, t.resolution, str(t.duration), money(t.price, None)]
            table.add_row(*([t.script.name] if several else []), *cells, "\n".join(t.uploads))
        console.print(table)
    free = [f for s in plan.scripts for f in s.free]
    if free:
        table = Table(title="Left alone (free)", title_justify="left")
        for column in (["script"] if several else []) + ["shot", "take", "why", "state", "task"]:
            table.add_column(column, overflow="fold")
        for f in free:
            cells = [f.shot, str(f.take), f.reason, f.state or "", f.task_id or ""]
            table.add_row(*([f.script.name] if several else []), *cells)
        console.print(table)
    console.print(totals_line(plan))
    for s in plan.scripts:
        if s.paid or s.budget is not None:
            budget = f"; [render] budget {money(s.budget, s.currency)}" if s.budget is not None else ""
            line = f"{s.script.name}: {len(s.paid)} tasks paid before, {money(s.spent, s.currency)}{budget}"
            console.print(line, markup=False)
    for note in plan.notes():
        console.print(f"note: {note}", markup=False)


@click.command("plan")
@click.argument("scripts", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="Shot-spec TOML (default: the script's spec line).")
@click.option("--emulator", is_flag=True, help="Plan a render against the built-in emulator (its journal).")
@base_url_option
@click.option("--journal", "journal_path", type=click.Path(dir_okay=False, path_type=Path), help="Journal file to read.")
@click.option("--retry-failed", is_flag=True, help="As render --retry-failed: failed shots are submitted again.")
@click.option("--shot", "shots", multiple=True, metavar="NAME", help="Only this shot (repeatable).")
@click.option("--reroll", multiple=True, metavar="NAME", help="As render --reroll: one more take of this shot.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan(
    scripts: tuple[Path, ...],
    spec: Path | None,
    emulator: bool,
    base_url: str | None,
    journal_path: Path | None,
    retry_failed: bool,
    shots: tuple[str, ...],
    reroll: tuple[str, ...],
    as_json: bool,
) -> None:
    """Show what hailuo render would do now, and what it would cost, without doing it.

    Each task it would submit (shot, take, reason: new, changed, retry, reroll, after-parent;
    mode, resolution, duration, price), the images it would upload first, the takes it would
    leave alone (done, running, unknown, failed), and the totals: tasks, clip-seconds by
    resolution, and the cost when the spec's [pricing] (or [tool.hailuo.pricing]) gives prices.
    A shot waiting for its parent's video counts as a task. Nothing is uploaded or submitted.

    Exit codes: 0 the plan is printed, 1 a script has errors, 2 usage or I/O error.
    """
    from hailuo_dsl.render import JournalError
    from hailuo_dsl.render.plan import plan_render
    from hailuo_dsl.shots.pricing import TablesError
    from hailuo_dsl.shots.result import CompileError, UnknownShotError

    one = {"--spec": spec, "--journal": journal_path, "--shot": shots, "--reroll": reroll}
    given = [name for name, value in one.items() if value]
    if len(scripts) > 1 and given:
        raise UsageError(f"{', '.join(given)}: only with one script")
    for script in scripts:
        if not script.is_file():
            raise UsageError(f"{script}: no such file")
    try:
        found = plan_render(
            scripts,
            emulator=emulator,
            base_url=base_url,
            spec=spec,
            journal=journal_path,
            shots=list(shots) or None,
            retry_failed=retry_failed,
            reroll=reroll,
        )
    except CompileError as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    except (UnknownShotError, JournalError, TablesError, OSError) as err:
        raise UsageError(os_message(err)) from None
    if as_json:
        click.echo(json.dumps(found.as_json(), indent=2))
        return
    print_plan(table_console(), found)


COMMANDS: dict[str, click.Command] = {c.name: c for c in (plan,) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
