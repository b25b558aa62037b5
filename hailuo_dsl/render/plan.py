"""``hailuo plan`` in Python: what a render of some scripts would do now, and what it would cost,
without uploading or submitting anything.

:func:`plan_render` compiles each script, reads its journal (the one ``hailuo render`` would use)
and its prices, and decides every take as the render would (:mod:`hailuo_dsl.render.planner`).
The render checks its caps on the same plan before any upload or submit (:class:`CapExceeded`).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import BASE_URL_ENV, DEFAULT_BASE_URL
from hailuo_dsl.render.continuity import last_frame_digest
from hailuo_dsl.render.figures import RenderPlan, ScriptPlan
from hailuo_dsl.render.journal import DEFAULT_UPLOAD_MAX_AGE, Journal
from hailuo_dsl.render.location import EMULATOR_ENDPOINT, endpoint_of, find_journal
from hailuo_dsl.render.planner import adopted, forgotten, plan_script
from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.store import JournalError
from hailuo_dsl.shots.compiler import compile_script
from hailuo_dsl.shots.pricing import PricingTable, project_tables
from hailuo_dsl.shots.result import CompileResult, UnknownShotError

PathLike = str | os.PathLike[str]


class CapExceeded(Exception):
    """A render refused before any upload or submit: its plan is over a cap (the message says
    which); ``plan`` is the plan whose totals were over."""

    def __init__(self, problems: Sequence[str], plan: RenderPlan) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        self.plan = plan


def plan_render(
    scripts: PathLike | Sequence[PathLike],
    *,
    emulator: bool = False,
    base_url: str | None = None,
    spec: PathLike | None = None,
    journal: PathLike | None = None,
    shots: Sequence[str] | None = None,
    retry_failed: bool = False,
    reroll: Collection[str] = (),
    forget: Collection[str] = (),
    adopt: Mapping[str, str] | None = None,
    config: LintConfig | None = None,
) -> RenderPlan:
    """What ``hailuo render SCRIPT... [--emulator]`` with the same options would do now.

    Each task it would submit (shot, take, reason, mode, resolution, duration, price), the uploads
    it would make, the takes it would leave alone (done, on their way, unknown, failed), and the
    totals: ``plan.task_count``, ``plan.clip_seconds()``, ``plan.cost`` (None without prices),
    ``plan.as_json()`` for ``hailuo plan --json``. Nothing is uploaded, submitted or written
    (a journal of an older schema is brought up to date, as any reader does).

    ``spec``, ``journal``, ``shots``, ``reroll``, ``forget`` and ``adopt`` are for one script, as
    in :func:`~hailuo_dsl.render.script.render_script`, and ``config`` the lint configuration the
    script is compiled with. Raises ``CompileError`` for a script with
    errors, ``UnknownShotError`` for an unknown ``--reroll`` shot, ``JournalError`` for a journal
    that cannot be read and ``TablesError`` for a wrong ``[tool.hailuo.pricing]``.
    """
    paths = [Path(scripts)] if isinstance(scripts, (str, os.PathLike)) else [Path(s) for s in scripts]
    if len(paths) > 1 and (spec or journal or shots or reroll or forget or adopt):
        raise ValueError("spec, journal, shots, reroll, forget and adopt apply to one script")
    url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    endpoint = EMULATOR_ENDPOINT if emulator else endpoint_of(url)
    found = []
    for path in paths:
        result = compile_script(path, spec=Path(spec) if spec is not None else None, shots=shots, config=config)
        result.raise_for_errors()
        where = Path(journal) if journal is not None else find_journal(path, endpoint)
        if not where.is_file():
            found.append(script_plan(path, result, None, journal_path=where, reroll=reroll, retry_failed=retry_failed))
            continue
        with Journal(where, create=False) as opened:
            overrides = _overrides(opened, forget, adopt or {})
            found.append(
                script_plan(
                    path,
                    result,
                    opened,
                    journal_path=where,
                    reroll=reroll,
                    retry_failed=retry_failed,
                    upload_base_url=None if emulator else url,
                    overrides=overrides,
                )
            )
    return RenderPlan(tuple(found))


def script_plan(
    script: Path,
    result: CompileResult,
    journal: Journal | None,
    *,
    journal_path: Path | None = None,
    reroll: Collection[str] = (),
    retry_failed: bool = False,
    upload_base_url: str | None = None,
    upload_max_age: float = DEFAULT_UPLOAD_MAX_AGE,
    overrides: Mapping[tuple[str, int], ShotRecord | None] | None = None,
) -> ScriptPlan:
    """The plan of one compiled script over its open journal (None: nothing rendered yet), priced
    by its spec's ``[pricing]`` (else ``[tool.hailuo.pricing]``), capped by its ``[render]``."""
    compiled = {s.name for s in result.shots}
    for name in reroll:
        if name not in compiled:
            raise UnknownShotError(f"--reroll {name}: no shot of that name is rendered here")
    project = project_tables(script.resolve().parent)
    spec = result.spec
    pricing = spec.pricing if spec is not None and spec.pricing is not None else project.pricing
    render = spec.render if spec is not None and spec.render is not None else project.render

    def upload_key(path: Path) -> str:
        from hailuo_dsl.shots.images import file_digest

        return file_digest(path) + "@" + str(upload_base_url)

    return plan_script(
        script,
        result.shots,
        journal,
        frame_digest=last_frame_digest,
        pricing=pricing,
        retry_failed=retry_failed,
        reroll=reroll,
        upload_key=upload_key if upload_base_url is not None else None,
        upload_max_age=upload_max_age,
        journal_path=journal_path,
        budget=render.budget if render is not None else None,
        rate=render.per_minute if render is not None else None,
        paid=journal.paid() if journal is not None else (),
        overrides=overrides,
    )


def pricing_of(script: PathLike, spec: PathLike | None = None) -> PricingTable | None:
    """The prices a script's render counts with: its spec's ``[pricing]``, else the nearest
    pyproject.toml's ``[tool.hailuo.pricing]``; None when neither gives them (or the spec has errors)."""
    path = Path(script)
    result = compile_script(path, spec=Path(spec) if spec is not None else None)
    if result.spec is not None and result.spec.pricing is not None:
        return result.spec.pricing
    return project_tables(path.resolve().parent).pricing


def _overrides(journal: Journal, forget: Collection[str], adopt: Mapping[str, str]) -> dict[tuple[str, int], ShotRecord | None]:
    """The journal rows as ``--forget`` and ``--adopt`` would leave them before the render decides."""
    found: dict[tuple[str, int], ShotRecord | None] = {}
    for value in forget:
        name, take = take_of(journal, value, "--forget")
        record = journal.get(name, take)
        if record is None:
            raise JournalError(f"--forget {value}: {name!r} (take {take}) is not in the journal")
        found[(name, take)] = forgotten(record)
    for value, task_id in adopt.items():
        name, take = take_of(journal, value, "--adopt")
        record = journal.get(name, take)
        if record is None:
            raise JournalError(f"--adopt {value}: {name!r} (take {take}) is not in the journal")
        found[(name, take)] = adopted(record, task_id)
    return found


def take_of(journal: Journal, value: str, option: str) -> tuple[str, int]:
    """The shot and take ``SHOT`` or ``SHOT:TAKE`` names in ``journal`` (a bare ``SHOT`` only when
    it has one take); ``JournalError`` says what to write otherwise."""
    name, sep, number = value.partition(":")
    if sep:
        if not number.isdigit() or int(number) < 1:
            raise JournalError(f"{option} {value}: write SHOT:TAKE, the take a number from 1")
        return name, int(number)
    takes = [r.take for r in journal.takes(name)]
    if len(takes) > 1:
        listed = ", ".join(f"{name}:{t}" for t in takes)
        raise JournalError(f"{option} {value}: shot {name!r} has {len(takes)} takes; name one ({listed})")
    return name, takes[0] if takes else 1


__all__ = ["CapExceeded", "plan_render", "pricing_of", "script_plan", "take_of"]
