"""A script or shot-spec named on the command line that is not a regular file (a device that
never ends, a pipe, a folder) is refused by name, in one line, before anything is read or sent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hailuo_dsl.cli import cli

ENV = {"HAILUO_API_KEY": "k", "HAILUO_BASE_URL": "http://127.0.0.1:9"}  # nothing listens: nothing may be sent


@pytest.mark.parametrize(
    "command", [["render", "{path}"], ["submit", "{path}", "--shot", "a"], ["compile", "a.shot", "--spec", "{path}"]]
)
def test_a_path_that_is_not_a_regular_file_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.shot").write_text("shot a\n  A man walks [Pan left].\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe")  # opened, it would block: it must never be opened
    cases = [("folder", "is a directory"), ("pipe", "not a regular file"), ("missing", "no such file")]
    if Path("/dev/zero").exists():
        cases.append(("/dev/zero", "not a regular file"))
    for path, reason in cases:
        result = CliRunner(env=ENV).invoke(cli, [part.format(path=path) for part in command])
        assert result.exit_code == 2 and path in result.stderr and reason in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.shot", "folder", "pipe"]  # no journal, no output
