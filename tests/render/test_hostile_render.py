"""``hailuo render`` and the single-task commands against a hostile server: the key never reaches
an output or a stored record; a key no header can carry stops every command before anything is
sent or written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_server import API_KEY, Answer, HostileServer, key_parts_in

from hailuo_dsl.cli import cli
from hailuo_dsl.emulator.models import HttpRequest
from hailuo_dsl.render import Journal, endpoint_of, find_journal

SCRIPT = """\
shot opening
  A mouse runs toward the camera [Push in], then stops [Static shot].

shot city
  City night scene, neon lights flickering [Pan left].
"""


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "launch.shot"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def run(args: list[str], server: HostileServer, key: str = API_KEY) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"HAILUO_API_KEY": key, "HAILUO_BASE_URL": server.url, "COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


def stored_bytes(script: Path) -> bytes:
    """Every file the render keeps beside the script: journals with their -wal and -shm, videos."""
    return b"".join(p.read_bytes() for p in sorted(script.parent.rglob("*")) if p.is_file() and p != script)


def journal_of(script: Path, server: HostileServer) -> Journal:
    return Journal(find_journal(script, endpoint_of(server.url)), create=False)


def test_a_failed_task_echoing_the_key_leaves_it_in_no_output_and_no_record(script: Path, server: HostileServer) -> None:
    """The task fails with the key in its message and status; the render, jobs, wait and status
    (text and --json) and every stored byte are free of the key and of its prefixes."""

    async def failed_with_the_key(request: HttpRequest) -> Answer:
        task_id = request.path.rsplit("/", 1)[1]
        task = {
            "id": task_id,
            "status": "failed",
            "progress": 0,
            "note": "x" * 190 + f" Bearer {API_KEY}",
            "error": {"code": 500, "message": "x" * 195 + f" worker saw Bearer {API_KEY}", "type": "server_error"},
        }
        return Answer(body=json.dumps(task).encode())

    server.handlers["query"] = failed_with_the_key
    outputs: list[str] = []
    for args in (
        ["render", str(script), "--poll-interval", "0.01"],
        ["render", str(script), "--poll-interval", "0.01", "--json"],
        ["jobs", str(script)],
        ["jobs", str(script), "--json"],
    ):
        code, out, err = run(args, server)
        assert code in (0, 1), err
        outputs += [out, err]
    with journal_of(script, server) as journal:
        records = journal.records()
        events = journal.events()
    assert [r.state.value for r in records] == ["failed", "failed"]
    assert all("worker saw Bearer <api-key>" in (r.error or "") for r in records)
    task_id = records[0].task_id
    assert task_id is not None
    for args in (
        ["wait", task_id, "--poll-interval", "0.01"],
        ["wait", task_id, "--json"],
        ["status", task_id],
        ["status", task_id, "--json"],
    ):
        code, out, err = run(args, server)
        assert code in (0, 1) and "Traceback" not in err
        outputs += [out, err]
    assert any("worker saw Bearer <api-key>" in text for text in outputs)
    for text in [*outputs, repr(records), repr(events)]:
        assert key_parts_in(text) == []
    assert key_parts_in(stored_bytes(script)) == []


def test_a_refused_submit_echoing_the_key_past_the_cut_leaves_no_prefix(script: Path, server: HostileServer) -> None:
    async def refuse(request: HttpRequest) -> Answer:
        text = "invalid parameters; " + "y" * 175 + f" (Authorization: Bearer {API_KEY})"
        return Answer(status=400, headers=[("Content-Type", "text/plain")], body=text.encode())

    server.handlers["submit"] = refuse
    code, out, err = run(["render", str(script), "--json"], server)
    assert code == 1
    summary = json.loads(out)
    assert [s["state"] for s in summary["shots"]] == ["failed", "failed"]
    assert key_parts_in(out + err) == [] and key_parts_in(stored_bytes(script)) == []


@pytest.mark.parametrize("key", ["sk-SÉCRET-hostile", "sk-SE\x01CRET-hostile"], ids=["not-ascii", "control"])
def test_a_key_no_header_can_carry_stops_each_command_before_anything(script: Path, server: HostileServer, key: str) -> None:
    code, _, err = run(["render", str(script), "--shot", "city", "--poll-interval", "0.01"], server)
    assert code == 0, err
    with journal_of(script, server) as journal:
        before = journal.records()
    requests = sum(server.seen.values())
    for args in (
        ["render", str(script)],
        ["submit", "--prompt", "Waves at sunset [Pan left]."],
        ["status", "vid_x"],
        ["wait", "vid_x"],
        ["download", "vid_x"],
    ):
        code, out, err = run(args, server, key=key)
        assert code == 2, (args, err)
        assert err.startswith("hailuo: error: The API key in the HAILUO_API_KEY environment variable has ")
        assert err.count("\n") == 1 and "Traceback" not in err and "CRET" not in out + err
    assert sum(server.seen.values()) == requests  # nothing was sent
    with journal_of(script, server) as journal:
        assert journal.records() == before  # no shot touched, the one not rendered still absent
    assert [r.name for r in before] == ["city"]


def test_a_foreign_sqlite_file_is_refused_unchanged(tmp_path: Path, script: Path, server: HostileServer) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
        db.execute("INSERT INTO photos (path) VALUES ('a.jpg')")
    db.close()
    data = other.read_bytes()
    for args in (["jobs", "--journal", str(other)], ["render", str(script), "--journal", str(other)]):
        code, _, err = run(args, server)
        assert code == 2 and "not a hailuo journal (its tables: photos); nothing was changed" in err, err
    assert other.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["launch.shot", "other.sqlite"]  # no -wal, no -shm, no lock
    assert sum(server.seen.values()) == 0
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    code, _, err = run(["jobs", "--journal", str(empty)], server)
    assert code == 2 and "not a hailuo journal" in err and empty.read_bytes() == b""
