"""Reading task objects leniently (contract §4)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.client import Task, TaskError, TaskStatus

NEW = {
    "id": "vid_01K8ABC",
    "object": "generation.task",
    "model": "MiniMax-Hailuo-02",
    "status": "queued",
    "progress": 0,
    "created_at": 1768380224,
    "metadata": {},
}


def test_submit_answer() -> None:
    task = Task.from_api(NEW)
    assert (task.id, task.status, task.progress, task.created_at) == ("vid_01K8ABC", TaskStatus.QUEUED, 0, 1768380224)
    assert task.raw == NEW and not task.is_final


def test_old_submit_shape() -> None:
    task = Task.from_api({"code": 200, "data": [{"status": "submitted", "task_id": "task_01K8XYZ"}]})
    assert (task.id, task.status, task.status_text) == ("task_01K8XYZ", TaskStatus.QUEUED, "submitted")


@pytest.mark.parametrize("task_id", ["vid_1", "video_1", "task_1", "0f8fad5b-d9cb-469f-a165-70867728950e", "123"])
def test_any_id_prefix(task_id: str) -> None:
    assert Task.from_api({**NEW, "id": task_id}).id == task_id


def test_completed_with_result() -> None:
    task = Task.from_api(
        {
            **NEW,
            "status": "completed",
            "progress": 100,
            "completed_at": 1768380300,
            "expires_at": 1768466700,
            "result": {"type": "video", "data": [{"url": "https://cdn.example/v.mp4"}]},
        }
    )
    assert task.is_final and task.video_url == "https://cdn.example/v.mp4"
    assert (task.completed_at, task.expires_at) == (1768380300, 1768466700)


def test_completed_with_top_level_url() -> None:
    task = Task.from_api({**NEW, "status": "completed", "url": "https://cdn.example/w.mp4"})
    assert task.video_url == "https://cdn.example/w.mp4"


@pytest.mark.parametrize("code", [1026, "1026", "content_policy_violation", None])
def test_failed_with_any_error_code(code: Any) -> None:
    task = Task.from_api({**NEW, "status": "failed", "error": {"code": code, "message": "flagged", "type": "content_policy"}})
    assert task.is_final and task.status is TaskStatus.FAILED
    assert task.error == TaskError(code=code, message="flagged", type="content_policy")


def test_error_as_bare_string() -> None:
    assert Task.from_api({**NEW, "status": "failed", "error": "boom"}).error == TaskError(message="boom")


@pytest.mark.parametrize("text", ["processing", "RUNNING", "", "pending_review"])
def test_unknown_status_is_kept_and_not_final(text: str) -> None:
    task = Task.from_api({**NEW, "status": text})
    assert task.status is TaskStatus.UNKNOWN and task.status_text == text and not task.is_final


def test_status_case_and_progress_forms() -> None:
    task = Task.from_api({**NEW, "status": "IN_PROGRESS", "progress": "42%"})
    assert (task.status, task.progress) == (TaskStatus.IN_PROGRESS, 42)
    assert Task.from_api({**NEW, "progress": 250}).progress == 100
    assert Task.from_api({**NEW, "progress": "n/a"}).progress == 0


@pytest.mark.parametrize("value", ["inf", "-Infinity", float("inf"), float("nan"), 1e400, "NaN"])
def test_numbers_that_are_not_finite_are_ignored(value: Any) -> None:
    task = Task.from_api({**NEW, "progress": value, "created_at": value, "completed_at": value, "expires_at": value})
    assert (task.progress, task.created_at, task.completed_at, task.expires_at) == (0, None, None, None)


@pytest.mark.parametrize("data", [{}, {"error": {"code": 401}}, {"data": []}, {"id": ""}, [], "vid_1", None])
def test_no_task_id_is_a_value_error(data: Any) -> None:
    with pytest.raises(ValueError):
        Task.from_api(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
task_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "status": json_values,
        "progress": json_values,
        "created_at": json_values,
        "expires_at": json_values,
        "result": json_values,
        "url": json_values,
        "error": json_values,
        "data": json_values,
    },
)


@pytest.mark.slow
@given(task_like)
def test_any_json_reads_as_a_task_or_value_error(data: dict[str, Any]) -> None:
    try:
        task = Task.from_api(data)
    except ValueError:
        return
    assert task.id and 0 <= task.progress <= 100
    assert task.is_final == (task.status in (TaskStatus.COMPLETED, TaskStatus.FAILED))
