"""Rendering a ``.shot`` script: compile it, take its journal, and render its shots."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.config import LintConfig
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.location import endpoint_of, is_loopback, open_journal
from hailuo_dsl.render.pipeline import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT, render_shots
from hailuo_dsl.render.results import EventCallback, RenderSummary
from hailuo_dsl.render.store import JournalError
from hailuo_dsl.shots.compiler import compile_script
from hailuo_dsl.shots.result import UnknownShotError, format_location


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
    reroll: Collection[str] = (),
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
    ``adopt`` maps an ``unknown`` shot to the task id a person found in the account. A shot with
    several takes is named ``SHOT:TAKE`` there. ``reroll`` names shots that get one more take
    (``UnknownShotError`` for a name the script does not have).

    The journal is the script's own for the client's API (``endpoint``, by default its base
    URL; see :mod:`hailuo_dsl.render.location`), or the file ``journal`` names. Each submit
    carries its shot's name (``X-Hailuo-Shot``) only to a server on loopback: an emulator.
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
        )
    return dataclasses.replace(summary, warnings=warnings)


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
