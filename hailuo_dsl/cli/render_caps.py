"""The caps and the rate of ``hailuo render``: the whole run's plan checked against
``--max-tasks``, ``--budget`` and each script's ``[render] budget`` before anything is uploaded or
submitted, and the one token bucket of its submits (``--rate``, else the scripts' ``[render] rate``); and the
totals of what a journal paid (``hailuo jobs``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from hailuo_dsl.cli.common import UsageError, os_message
from hailuo_dsl.render import JournalError
from hailuo_dsl.render.figures import RenderPlan, ScriptPlan
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.plan import plan_render
from hailuo_dsl.shots.pricing import PricingTable, TablesError, parse_rate
from hailuo_dsl.shots.result import CompileError, UnknownShotError


def cap_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-tasks``, ``--budget`` and ``--rate`` (``hailuo render``)."""
    options = [
        click.option(
            "--max-tasks",
            type=click.IntRange(min=0),
            help="Refuse, before any upload or submit, a render that would submit more tasks (hailuo plan counts them).",
        ),
        click.option(
            "--budget",
            type=click.FloatRange(min=0),
            help="Refuse, before any upload or submit, a render whose tasks would cost more (prices from [pricing]).",
        ),
        click.option(
            "--rate", metavar="N/min", help="Submits a minute, for the whole run [default: the spec's [render] rate, else none]."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def checked_caps(
    jobs: list[tuple[Path, dict[str, Any]]],
    emulator: bool,
    base_url: str | None,
    max_tasks: int | None,
    budget: float | None,
    rate: str | None,
) -> tuple[SubmitPace, Allowance]:
    """The run's pace and allowance, once its plan is within every cap; else the plan's totals
    and why are printed and the command exits 1 (nothing was uploaded or submitted)."""
    per_minute = None
    if rate is not None:
        try:
            per_minute = parse_rate(rate)
        except ValueError as err:
            raise UsageError(f"--rate: {err}") from None
    plans = [p for p in (_plan(script, options, emulator, base_url) for script, options in jobs) if p is not None]
    whole = RenderPlan(tuple(plans))
    problems = whole.over_caps(max_tasks=max_tasks, budget=budget)
    if problems:
        refuse_over_caps(problems, whole)
    if per_minute is None:
        rates = [p.rate for p in plans if p.rate is not None]
        per_minute = min(rates) if rates else None
    return SubmitPace(per_minute), Allowance(max_tasks, budget)


def _plan(script: Path, options: dict[str, Any], emulator: bool, base_url: str | None) -> ScriptPlan | None:
    """The plan of one script (None when it does not compile: the render reports that script)."""
    try:
        found = plan_render(
            script,
            emulator=emulator,
            base_url=base_url,
            spec=options["spec"],
            journal=options["journal"],
            shots=options["shots"],
            retry_failed=options["retry_failed"],
            reroll=options["reroll"],
            forget=options["forget"],
            adopt=options["adopt"],
            config=options.get("config"),
        )
    except CompileError:
        return None
    except (UnknownShotError, TablesError, OSError) as err:
        raise UsageError(os_message(err)) from None
    except JournalError as err:
        raise UsageError(str(err)) from None
    return found.scripts[0]


def refuse_over_caps(problems: list[str], plan: RenderPlan) -> NoReturn:
    """Print why a render is refused and its plan's totals; exit 1."""
    from hailuo_dsl.cli.plan_commands import totals_line

    for problem in problems:
        click.echo(f"hailuo: refused before any upload or submit: {problem}", err=True)
    click.echo(f"hailuo: the plan: {totals_line(plan)} (hailuo plan shows it whole)", err=True)
    sys.exit(1)


def script_pricing(script: Path | None) -> PricingTable | None:
    """The script's prices, if they can be read (a journal is listed whatever its script holds now)."""
    from hailuo_dsl.render.plan import pricing_of

    if script is None or not script.is_file():
        return None
    try:
        return pricing_of(script)
    except (TablesError, OSError, ValueError):
        return None


def totals_text(totals: dict[str, Any]) -> str:
    """``Paid: 3 tasks, 18 s at 768P, 0.84 USD``: a journal's totals in one line."""
    seconds = ", ".join(f"{s} s at {r}" for r, s in sorted(totals["clip_seconds"].items()))
    cost = f"{totals['cost']:.2f} {totals['currency']}" if totals["cost"] is not None and totals["currency"] else "cost unknown"
    count = totals["tasks"]
    return f"Paid: {count} task{'' if count == 1 else 's'}" + (f", {seconds}" if seconds else "") + f", {cost}"
