"""The one decision of what a render submits, and why (``render.decide``): from the journal's rows of
a shot's takes, its request hash now, how many takes it asks for and the run's options."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.render import ShotRecord, ShotState, Why, decide

S = ShotState
HASH, OLD = "h-now", "h-before"


def row(take: int, state: ShotState, request_hash: str = HASH) -> ShotRecord:
    return ShotRecord(
        name="a",
        request_hash=request_hash,
        state=state,
        request=None,
        task_id=None if state is S.PENDING else f"vid_{take}",
        status=None,
        progress=0,
        video_url=None,
        expires_at=None,
        output=None,
        error=None,
        attempts=0,
        previous_tasks=(),
        created_at=0.0,
        updated_at=0.0,
        take=take,
    )


def whys(*records: ShotRecord, takes: int = 1, **options: bool) -> list[tuple[int, Why]]:
    return [(d.take, d.why) for d in decide("a", HASH, takes, records, **options)]


def test_a_new_shot_submits_each_take_it_asks_for() -> None:
    assert whys(takes=3) == [(1, Why.NEW), (2, Why.NEW), (3, Why.NEW)]


@pytest.mark.parametrize(
    ("state", "why"),
    [
        (S.PENDING, Why.NEW),
        (S.SUBMITTING, Why.UNKNOWN),
        (S.UNKNOWN, Why.UNKNOWN),
        (S.SUBMITTED, Why.RESUME),
        (S.COMPLETED, Why.RESUME),
        (S.DOWNLOADED, Why.DONE),
        (S.FAILED, Why.FAILED),
    ],
)
def test_each_state_of_the_same_request(state: ShotState, why: Why) -> None:
    assert whys(row(1, state)) == [(1, why)]
    assert why.submits is (why is Why.NEW)


def test_a_failed_take_is_submitted_again_only_when_asked() -> None:
    assert whys(row(1, S.FAILED), retry_failed=True) == [(1, Why.RETRY)]


def test_a_changed_request_submits_the_takes_asked_for_and_leaves_the_rest() -> None:
    found = whys(row(1, S.DOWNLOADED, OLD), row(2, S.SUBMITTED, OLD), row(3, S.DOWNLOADED, OLD), takes=2)
    assert found == [(1, Why.CHANGED), (2, Why.CHANGED), (3, Why.OUTDATED)]


def test_more_takes_asked_for_adds_only_the_missing_ones() -> None:
    assert whys(row(1, S.DOWNLOADED), takes=2) == [(1, Why.DONE), (2, Why.NEW)]


def test_fewer_takes_asked_for_keeps_following_the_ones_paid_for() -> None:
    assert whys(row(1, S.DOWNLOADED), row(2, S.SUBMITTED), takes=1) == [(1, Why.DONE), (2, Why.RESUME)]


def test_a_reroll_adds_one_take() -> None:
    assert whys(row(1, S.DOWNLOADED), row(2, S.FAILED), takes=2, reroll=True)[-1] == (3, Why.REROLL)


def test_a_reroll_rerun_after_a_crash_finishes_the_rolled_take_instead_of_paying_again() -> None:
    for state in (S.PENDING, S.SUBMITTING, S.UNKNOWN, S.SUBMITTED, S.COMPLETED):
        found = whys(row(1, S.DOWNLOADED), row(2, state), takes=1, reroll=True)
        assert [take for take, _why in found] == [1, 2], state
    assert whys(row(1, S.DOWNLOADED), row(2, S.DOWNLOADED), takes=1, reroll=True)[-1] == (3, Why.REROLL)


def test_a_continued_shot_whose_parent_has_no_video_yet_waits() -> None:
    found = decide("a", None, 2, [row(1, S.SUBMITTED), row(2, S.FAILED)])
    assert [(d.take, d.why) for d in found] == [(1, Why.RESUME), (2, Why.AFTER_PARENT)]
    assert [d.why for d in decide("a", None, 1, [])] == [Why.AFTER_PARENT]


STATES = st.sampled_from(list(ShotState))


@given(
    st.lists(st.tuples(STATES, st.booleans()), max_size=6),
    st.integers(1, 4),
    st.booleans(),
    st.booleans(),
)
def test_never_a_second_submit_for_a_take_that_may_have_a_task(
    rows: list[tuple[ShotState, bool]], takes: int, retry_failed: bool, reroll: bool
) -> None:
    """A take whose submit may have been accepted (submitting, unknown, on its way, done) with the
    same request is never submitted again; every take asked for is decided; at most one is added."""
    records = [row(take, state, HASH if same else OLD) for take, (state, same) in enumerate(rows, start=1)]
    found = decide("a", HASH, takes, records, retry_failed=retry_failed, reroll=reroll)
    by_take = {d.take: d for d in found}
    for record in records:
        if record.request_hash == HASH and record.state not in (S.PENDING, S.FAILED):
            assert not by_take[record.take].why.submits
    assert set(range(1, takes + 1)) <= set(by_take)
    assert len([d for d in found if d.record is None and d.take > max(takes, len(records))]) <= 1
    assert [d.take for d in found] == sorted(by_take)
    assert all(dataclasses.replace(d.record, take=d.take) == d.record for d in found if d.record is not None)
