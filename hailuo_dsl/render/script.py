"""Rendering a ``.shot`` script: compile it, take its journal, and render its shots."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.config import LintConfig
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.location import endpoint_of, open_journal
from hailuo_dsl.render.pipeline import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT, render_shots
from hailuo_dsl.render.results import EventCallback, RenderSummary
from hailuo_dsl.shots.compiler import compile_script
from hailuo_dsl.shots.result import format_location


def default_out_dir(script: str | os.PathLike[str], *, emulator: bool = False) -> Path:
    """Where a script's videos go by default: ``renders/<script stem>/`` beside the script's real
    file (``renders/<script stem>.emulator/`` for the emulator's stand-in videos)."""
    path = Path(script).resolve()
    return path.parent / "renders" / (path.stem + (".emulator" if emulator else ""))


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
    forget: Collection[str] = (),
    adopt: Mapping[str, str] | None = None,
    on_event: EventCallback | None = None,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
    config: LintConfig | None = None,
) -> RenderSummary:
    """Compile ``script`` and render its shots (or those named in ``shots``) into ``out_dir``.

    Raises ``CompileError`` when the script has errors (nothing is uploaded or submitted then):
    those of ``hailuo lint``, the prompt rules' included, judged with ``config`` (default: the
    rules' own severities; the spec's ``[lint]`` table and the script's suppression comments
    apply on top, as in :func:`~hailuo_dsl.shots.compile_script`); and
    ``JournalError`` when the journal cannot be used (another run holds it, it records another
    API, a shot to forget or adopt is unknown, ...). ``forget`` starts the named shots over;
    ``adopt`` maps an ``unknown`` shot to the task id a person found in the account.

    The journal is the script's own for the client's API (``endpoint``, by default its base
    URL; see :mod:`hailuo_dsl.render.location`), or the file ``journal`` names.
    """
    path = Path(script)
    result = compile_script(path, spec=Path(spec) if spec is not None else None, shots=shots, config=config)
    result.raise_for_errors()
    warnings = tuple(
        f"{format_location(d, result.script, result.spec)}: {d.code} [{d.severity.value}] {d.message}" for d in result.diagnostics
    )
    api = endpoint if endpoint is not None else endpoint_of(client.base_url)
    opened = Journal(journal, endpoint=api) if journal is not None else open_journal(path, api)
    with opened:
        opened.acquire()
        opened.recover()
        for name in forget:
            opened.forget(name)
        for name, task_id in (adopt or {}).items():
            opened.adopt(name, task_id)
        summary = await render_shots(
            result.shots,
            client=client,
            journal=opened,
            out_dir=Path(out_dir) if out_dir is not None else default_out_dir(path),
            concurrency=concurrency,
            retry_failed=retry_failed,
            on_event=on_event,
            wait_timeout=wait_timeout,
        )
    return dataclasses.replace(summary, warnings=warnings)
