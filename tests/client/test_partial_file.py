"""A download's temporary file: placed when whole, removed when stopped at any point.

A stop signal raises where the process is; the points that matter are raised here directly, so each
is checked every time rather than when a loaded machine happens to hit it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hailuo_dsl.client import download
from hailuo_dsl.client.download import PartialFile


class Stop(BaseException):
    """Stands for the exception a stop signal raises (not an ``Exception``, as Ctrl-C is not)."""


_REAL_OPEN = os.open  # the module is patched where the code looks it up: ``os`` itself


def _open_then_stop(*args: Any, **kwargs: Any) -> int:
    """``os.open`` followed at once by a stop: a signal that arrives while the file is created
    raises as the call returns, before its descriptor is stored."""
    os.close(_REAL_OPEN(*args, **kwargs))  # the descriptor the stop lost (the process is ending anyway)
    raise Stop


def _stop(*args: Any, **kwargs: Any) -> Any:
    """A stop as a Python-level call is entered (``os.fdopen`` is one), before it does anything."""
    raise Stop


def test_a_whole_download_is_placed_under_its_name(tmp_path: Path) -> None:
    target = tmp_path / "clip.mp4"
    with PartialFile(target) as part:
        part.write(b"abc")
        part.write(b"def")
    assert target.read_bytes() == b"abcdef" and part.size == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


def test_a_download_stopped_while_writing_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Stop), PartialFile(tmp_path / "clip.mp4") as part:
        part.write(b"abc")
        assert len(list(tmp_path.iterdir())) == 1  # the temporary file, hidden beside the target
        raise Stop
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("call", "stopping"), [("open", _open_then_stop), ("fdopen", _stop)], ids=["open", "fdopen"])
def test_a_stop_as_the_temporary_file_is_created_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, stopping: Callable[..., Any]
) -> None:
    monkeypatch.setattr(download.os, call, stopping)
    with pytest.raises(Stop), PartialFile(tmp_path / "clip.mp4"):
        pytest.fail("not reached")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_of_the_same_name_is_not_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download.secrets, "token_hex", lambda n: "0" * 2 * n)
    other = tmp_path / ".clip.mp4.00000000.part"
    other.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError), PartialFile(tmp_path / "clip.mp4"):
        pytest.fail("not reached")
    assert other.read_bytes() == b"someone else's"


def test_a_failed_download_keeps_an_earlier_file_of_the_target_name(tmp_path: Path) -> None:
    target = tmp_path / "clip.mp4"
    target.write_bytes(b"earlier")
    with pytest.raises(ValueError), PartialFile(target) as part:
        part.write(b"new")
        raise ValueError("cut off")
    assert target.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]
