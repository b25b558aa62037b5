"""The resumable render pipeline: ``.shot`` script -> uploads -> submits -> polls -> videos on disk,
every step recorded in a SQLite journal so a rerun resumes without paying twice."""

from hailuo_dsl.render.journal import (
    Journal,
    JournalError,
    JournalEvent,
    ShotRecord,
    ShotState,
    default_journal_path,
)
from hailuo_dsl.render.pipeline import (
    DEFAULT_CONCURRENCY,
    DEFAULT_WAIT_TIMEOUT,
    Action,
    EventCallback,
    RenderableShot,
    RenderEvent,
    RenderSummary,
    ShotResult,
    default_out_dir,
    render_script,
    render_shots,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WAIT_TIMEOUT",
    "Action",
    "EventCallback",
    "Journal",
    "JournalError",
    "JournalEvent",
    "RenderEvent",
    "RenderSummary",
    "RenderableShot",
    "ShotRecord",
    "ShotResult",
    "ShotState",
    "default_journal_path",
    "default_out_dir",
    "render_script",
    "render_shots",
]
