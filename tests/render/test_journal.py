"""The render journal alone: its state machine, durability, upload cache and run lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hailuo_dsl.render import default_journal_path
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.records import SCHEMA_VERSION
from hailuo_dsl.render.states import MAY_HAVE_TASK, TRANSITIONS, ShotState
from hailuo_dsl.render.store import JournalError

S = ShotState


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    with Journal(tmp_path / "j.sqlite") as j:
        yield j  # type: ignore[misc]


def test_default_path_is_beside_the_script_in_a_hidden_folder(tmp_path: Path) -> None:
    script = tmp_path / "films" / "launch.shot"
    assert default_journal_path(script) == tmp_path / "films" / ".hailuo" / "launch.journal.sqlite"


def test_opens_in_wal_mode_with_a_schema_version(journal: Journal) -> None:
    mode = sqlite3.connect(journal.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert journal.schema_version == SCHEMA_VERSION


def test_the_whole_life_of_a_shot_is_recorded_in_order(journal: Journal) -> None:
    journal.add("opening", "h1", {"prompt": "x"})
    journal.begin_submit("opening")
    journal.submitted("opening", "vid_1", status="queued")
    journal.progress("opening", status="in_progress", progress=40)
    assert journal.get("opening").progress == 40  # type: ignore[union-attr]
    journal.completed("opening", video_url="http://v/1.mp4", expires_at=2_000_000)
    record = journal.downloaded("opening", "/out/opening.mp4")
    assert record.state is S.DOWNLOADED
    assert (record.task_id, record.video_url, record.expires_at, record.output) == (
        "vid_1",
        "http://v/1.mp4",
        2_000_000,
        "/out/opening.mp4",
    )
    assert record.attempts == 1 and record.request == {"prompt": "x"}
    moves = [(e.old, e.new) for e in journal.events("opening")]
    assert moves == [
        (None, S.PENDING),
        (S.PENDING, S.SUBMITTING),
        (S.SUBMITTING, S.SUBMITTED),
        (S.SUBMITTED, S.COMPLETED),
        (S.COMPLETED, S.DOWNLOADED),
    ]


def test_every_move_is_on_disk_before_the_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    writer = Journal(path)
    writer.add("a", "h")
    writer.begin_submit("a")
    # A second connection (as a rerun after a crash would open) sees the committed state at once.
    with Journal(path) as reader:
        assert reader.get("a").state is S.SUBMITTING  # type: ignore[union-attr]
    writer.submitted("a", "t1")
    with Journal(path) as reader:
        assert reader.get("a").task_id == "t1"  # type: ignore[union-attr]
    writer.close()


def test_moves_outside_the_state_machine_are_refused_and_change_nothing(journal: Journal) -> None:
    journal.add("a", "h")
    with pytest.raises(JournalError, match="cannot go from pending to submitted"):
        journal.submitted("a", "t1")
    journal.begin_submit("a")
    with pytest.raises(JournalError, match="cannot go from submitting to submitting"):
        journal.begin_submit("a")
    assert journal.get("a").state is S.SUBMITTING  # type: ignore[union-attr]
    assert journal.get("a").attempts == 1  # type: ignore[union-attr]


def test_adding_a_shot_twice_or_moving_a_missing_one_is_an_error(journal: Journal) -> None:
    journal.add("a", "h")
    with pytest.raises(JournalError, match="already"):
        journal.add("a", "h")
    with pytest.raises(JournalError, match="not in the journal"):
        journal.begin_submit("b")


def test_an_interrupted_submit_becomes_unknown_and_only_a_person_can_clear_it(journal: Journal) -> None:
    journal.add("a", "h")
    journal.begin_submit("a")
    recovered = journal.recover()
    assert [r.state for r in recovered] == [S.UNKNOWN]
    with pytest.raises(JournalError):
        journal.begin_submit("a")
    adopted = journal.adopt("a", "vid_found")
    assert (adopted.state, adopted.task_id) == (S.SUBMITTED, "vid_found")
    with pytest.raises(JournalError, match="is submitted, not unknown"):
        journal.adopt("a", "vid_other")  # the task it follows is never replaced, and lost, this way
    assert journal.get("a").task_id == "vid_found"  # type: ignore[union-attr]


def test_forget_returns_an_unknown_shot_to_pending_and_keeps_its_history(journal: Journal) -> None:
    journal.add("a", "h")
    journal.begin_submit("a")
    journal.submit_unknown("a", "no answer")
    record = journal.forget("a")
    assert (record.state, record.error, record.attempts) == (S.PENDING, None, 1)
    assert journal.events("a")[-1].detail == "forgotten"


def test_reset_keeps_the_replaced_task_and_the_attempt_count(journal: Journal) -> None:
    journal.add("a", "h1")
    journal.begin_submit("a")
    journal.submitted("a", "t1")
    record = journal.reset("a", "h2", {"prompt": "new"}, reason="request changed")
    assert (record.state, record.request_hash, record.task_id, record.previous_tasks) == (S.PENDING, "h2", None, ("t1",))
    journal.begin_submit("a")
    journal.submitted("a", "t2")
    journal.failed("a", "boom")
    record = journal.reset("a", "h2", reason="retry")
    assert record.previous_tasks == ("t1", "t2") and record.attempts == 2


def test_a_refused_submit_is_failed_when_final_else_pending(journal: Journal) -> None:
    journal.add("a", "h")
    journal.add("b", "h")
    for name in ("a", "b"):
        journal.begin_submit(name)
    assert journal.submit_refused("a", "bad request", final=True).state is S.FAILED
    assert journal.submit_refused("b", "rate limited", final=False).state is S.PENDING
    assert journal.get("b").error == "rate limited"  # type: ignore[union-attr]


def test_upload_urls_are_reused_until_they_are_too_old(tmp_path: Path) -> None:
    clock = Clock()
    with Journal(tmp_path / "j.sqlite", clock=clock) as journal:
        assert journal.upload_url("abc") is None
        journal.record_upload("abc", "https://cdn/abc.png")
        clock.now += 100
        assert journal.upload_url("abc", max_age=3600) == "https://cdn/abc.png"
        clock.now += 3600
        assert journal.upload_url("abc", max_age=3600) is None


def test_only_one_run_holds_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as first, Journal(path) as second:
        first.acquire()
        with pytest.raises(JournalError, match="another hailuo render"):
            second.acquire()
        first.release()
        second.acquire()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    Journal(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="newer"):
        Journal(path)


def test_a_file_that_is_not_a_journal_gives_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(JournalError, match=r"not a hailuo journal .*nothing was changed"):
        Journal(path)


def test_a_journal_that_cannot_be_written_gives_a_journal_error(journal: Journal) -> None:
    journal.add("a", "h")
    journal._db.execute("PRAGMA query_only = ON")  # as a full disk or a read-only file would
    with pytest.raises(JournalError, match="cannot write the journal: attempt to write a readonly database"):
        journal.begin_submit("a")
    with pytest.raises(JournalError, match="cannot write the journal"), journal.batch():
        journal.add("b", "h")
    assert journal.get("a").state is S.PENDING  # type: ignore[union-attr]


def test_another_programs_database_with_a_shots_table_gives_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE shots (frame INTEGER, label TEXT)")
    other.close()
    with pytest.raises(JournalError, match=r"not a hailuo journal \(its tables: shots\); nothing was changed"):
        Journal(path)


OPERATIONS = [
    "begin_submit",
    "submitted",
    "submit_unknown",
    "refused_final",
    "refused_retry",
    "progress",
    "completed",
    "failed",
    "downloaded",
    "adopt",
    "recover",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(OPERATIONS), max_size=25))
def test_any_sequence_of_moves_follows_the_state_machine(tmp_path_factory: pytest.TempPathFactory, ops: list[str]) -> None:
    """Whatever is attempted, each recorded move is allowed, and a shot that may have a task is
    never moved to ``submitting`` again without a reset."""
    path = tmp_path_factory.mktemp("j") / "j.sqlite"
    with Journal(path) as journal:
        journal.add("a", "h")
        calls = {
            "begin_submit": lambda: journal.begin_submit("a"),
            "submitted": lambda: journal.submitted("a", "t"),
            "submit_unknown": lambda: journal.submit_unknown("a", "?"),
            "refused_final": lambda: journal.submit_refused("a", "400", final=True),
            "refused_retry": lambda: journal.submit_refused("a", "429", final=False),
            "progress": lambda: journal.progress("a", status="in_progress", progress=5),
            "completed": lambda: journal.completed("a", video_url="u", expires_at=None),
            "failed": lambda: journal.failed("a", "x"),
            "downloaded": lambda: journal.downloaded("a", "f"),
            "adopt": lambda: journal.adopt("a", "t"),
            "recover": journal.recover,
        }
        for op in ops:
            before = journal.get("a")
            assert before is not None
            try:
                calls[op]()
            except JournalError:
                assert journal.get("a") == before
        events = journal.events("a")
        for event in events[1:]:
            assert event.old is not None and event.new in TRANSITIONS[event.old]
            if event.new is S.SUBMITTING:
                assert event.old not in MAY_HAVE_TASK
        submits = sum(1 for e in events if e.new is S.SUBMITTING)
        assert journal.get("a").attempts == submits  # type: ignore[union-attr]


def test_a_batch_commits_its_moves_together_and_each_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    with Journal(path) as writer, Journal(path) as reader:
        writer.add("a", "h")
        writer.add("b", "h")
        with writer.batch():
            writer.begin_submit("a")
            with pytest.raises(JournalError):
                writer.submitted("b", "t")  # not allowed from pending: refused, the batch goes on
            writer.begin_submit("b")
            assert writer.get("a").state is S.SUBMITTING  # type: ignore[union-attr]
            assert reader.get("a").state is S.PENDING  # type: ignore[union-attr]  # nothing on disk yet
        assert [reader.get(n).state for n in "ab"] == [S.SUBMITTING, S.SUBMITTING]  # type: ignore[union-attr]
        assert [e.new for e in reader.events("b")] == [S.PENDING, S.SUBMITTING]


def test_a_batch_that_raises_leaves_nothing_behind(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite") as journal:
        journal.add("a", "h")
        with pytest.raises(RuntimeError), journal.batch():
            journal.begin_submit("a")
            raise RuntimeError("disk gone")
        assert journal.get("a").state is S.PENDING  # type: ignore[union-attr]
        journal.begin_submit("a")  # and the journal is usable afterwards
