"""The resumable render pipeline: ``.shot`` script -> uploads -> submits -> polls -> videos on disk,
every step recorded in a SQLite journal so a rerun resumes without paying twice."""

from hailuo_dsl.render.decide import TakeDecision, Why, decide
from hailuo_dsl.render.figures import FreeTake, PlannedTask, RenderPlan, ScriptPlan
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.location import (
    DEFAULT_ENDPOINT,
    EMULATOR_ENDPOINT,
    default_journal_path,
    endpoint_of,
    find_journal,
    journal_path,
    open_journal,
)
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.pipeline import (
    DEFAULT_CONCURRENCY,
    DEFAULT_WAIT_TIMEOUT,
    render_shots,
)
from hailuo_dsl.render.plan import CapExceeded, plan_render
from hailuo_dsl.render.records import Choice, JournalEvent, Lineage, PaidTask, ShotRecord
from hailuo_dsl.render.results import EventCallback, RenderEvent, RenderSummary, ShotResult, Step
from hailuo_dsl.render.run import RenderableShot
from hailuo_dsl.render.script import default_out_dir, render_script
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.render.store import JournalError

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_ENDPOINT",
    "DEFAULT_WAIT_TIMEOUT",
    "EMULATOR_ENDPOINT",
    "Allowance",
    "CapExceeded",
    "Choice",
    "EventCallback",
    "FreeTake",
    "Journal",
    "JournalError",
    "JournalEvent",
    "Lineage",
    "PaidTask",
    "PlannedTask",
    "RenderEvent",
    "RenderPlan",
    "RenderSummary",
    "RenderableShot",
    "ScriptPlan",
    "ShotRecord",
    "ShotResult",
    "ShotState",
    "Step",
    "SubmitPace",
    "TakeDecision",
    "Why",
    "decide",
    "default_journal_path",
    "default_out_dir",
    "endpoint_of",
    "find_journal",
    "journal_path",
    "open_journal",
    "plan_render",
    "render_script",
    "render_shots",
]
