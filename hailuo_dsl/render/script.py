"""Rendering a ``.shot`` script: compile it, take its journal, and render its shots."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.config import LintConfig
from hailuo_dsl.render.figures import RenderPlan, ScriptPlan
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.location import endpoint_of, is_loopback, open_journal, script_name
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.pipeline import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT, render_shots
from hailuo_dsl.render.plan import CapExceeded, script_plan, take_of
from hailuo_dsl.render.records import PaidTask
from hailuo_dsl.render.results import EventCallback, RenderSummary
from hailuo_dsl.shots.compiler import compile_script
from hailuo_dsl.shots.result import UnknownShotError, format_location


def default_out_dir(script: str | os.PathLike[str], *, emulator: bool = False) -> Path:
    """Where a script's videos go by default: ``renders/<script name>/`` beside the script's real
    file (``renders/<script name>.emulator/`` for the emulator's stand-in videos)."""
    path = Path(script).resolve()
    return path.parent / "renders" / (script_name(path) + (".emulator" if emulator else ""))


async def render_script(
    script: str | os.PathLike[str],
    *,
    client: AsyncClient,
    spec: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    journal: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    shots: Sequence[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    reroll: Collection[str] = (),
    forget: Collection[str] = (),
    adopt: Mapping[str, str] | None = None,
    on_event: EventCallback | None = None,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
    config: LintConfig | None = None,
    max_tasks: int | None = None,
    budget: float | None = None,
    pace: SubmitPace | None = None,
    allowance: Allowance | None = None,
) -> RenderSummary:
    """Compile ``script`` and render its shots (or those named in ``shots``) into ``out_dir``.

    Raises ``CompileError`` when the script has errors (nothing is uploaded or submitted then):
    those of ``hailuo lint``, the prompt rules' included, judged with ``config`` (default: the
    rules' own severities; the spec's ``[lint]`` table and the script's suppression comments
    apply on top, as in :func:`~hailuo_dsl.shots.compile_script`); and
    ``JournalError`` when the journal cannot be used (another run holds it, it records another
    API, a shot to forget or adopt is unknown, ...). ``forget`` starts the named shots over;
    ``adopt`` maps an ``unknown`` shot to the task id a person found in the account. A shot with
    several takes is named ``SHOT:TAKE`` there. ``reroll`` names shots that get one more take
    (``UnknownShotError`` for a name the script does not have).

    The journal is the script's own for the client's API (``endpoint``, by default its base
    URL; see :mod:`hailuo_dsl.render.location`), or the file ``journal`` names. Each submit
    carries its shot's name (``X-Hailuo-Shot``) only to a server on loopback: an emulator.

    Before any upload or submit, the render's plan (:func:`~hailuo_dsl.render.plan.plan_render`)
    is checked against ``max_tasks``, ``budget`` and the spec's ``[render] budget`` (with what the
    journal paid already): ``CapExceeded`` when it is over. ``pace`` spaces the submits (share one
    between the scripts of a run; default: the spec's ``[render] rate``, else none); ``allowance``
    is a run's caps shared between scripts, each submit booked against it.
    """
    path = Path(script)
    result = compile_script(path, spec=Path(spec) if spec is not None else None, shots=shots, config=config)
    result.raise_for_errors()
    compiled = {s.name for s in result.shots}
    for name in reroll:
        if name not in compiled:
            raise UnknownShotError(f"--reroll {name}: no shot of that name is rendered here")
    warnings = tuple(
        f"{format_location(d, result.script, result.spec)}: {d.code} [{d.severity.value}] {d.message}" for d in result.diagnostics
    )
    api = endpoint if endpoint is not None else endpoint_of(client.base_url)
    opened = Journal(journal, endpoint=api) if journal is not None else open_journal(path, api)
    with opened:
        opened.acquire()
        opened.recover()
        for value in forget:
            name, take = take_of(opened, value, "--forget")
            opened.forget(name, take=take)
        for value, task_id in (adopt or {}).items():
            name, take = take_of(opened, value, "--adopt")
            opened.adopt(name, task_id, take=take)
        plan = script_plan(path, result, opened, journal_path=opened.path, reroll=reroll, retry_failed=retry_failed)
        problems = RenderPlan((plan,)).over_caps(max_tasks=max_tasks, budget=budget)
        if problems:
            raise CapExceeded(problems, RenderPlan((plan,)))
        before = {p.task_id for p in opened.paid()}
        summary = await render_shots(
            result.shots,
            client=client,
            journal=opened,
            out_dir=Path(out_dir) if out_dir is not None else default_out_dir(path),
            concurrency=concurrency,
            retry_failed=retry_failed,
            reroll=reroll,
            on_event=on_event,
            wait_timeout=wait_timeout,
            name_shots=is_loopback(api) or is_loopback(client.base_url),
            pace=pace if pace is not None else SubmitPace(plan.rate),
            allowance=_allowance(plan, max_tasks, budget, allowance),
            price_of=lambda request: plan.pricing.price(request.resolution, request.duration) if plan.pricing else None,
        )
        paid = [p for p in opened.paid() if p.task_id not in before]
    cost = _cost(plan, paid)
    return dataclasses.replace(summary, warnings=warnings, paid=len(paid), cost=cost, currency=plan.currency)


def _allowance(plan: ScriptPlan, max_tasks: int | None, budget: float | None, run: Allowance | None) -> Allowance:
    """What this script may submit: the run's caps (``run``, else ``max_tasks`` and ``budget``),
    and its own ``[render] budget`` less what its journal paid."""
    within = run if run is not None else Allowance(max_tasks, budget)
    if plan.budget is None:
        return within
    spent = plan.spent
    return Allowance(None, plan.budget - spent if spent is not None else -1.0, within=within)


def _cost(plan: ScriptPlan, paid: list[PaidTask]) -> float | None:
    if plan.pricing is None:
        return None if paid else 0.0
    prices = [plan.pricing.price(p.resolution, p.duration) for p in paid]
    return None if any(p is None for p in prices) else round(sum(p for p in prices if p is not None), 6)
