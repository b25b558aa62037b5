"""Every request the clients send names the program and its version, as the emulator receives it
over a real socket; the version is the installed package's, read in one place."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hailuo_dsl.contract import SUBMIT_PATH, UPLOAD_PATH
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.version import user_agent, version

if TYPE_CHECKING:
    from conftest import Api

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_package_metadata_of_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert version() == installed_version("hailuo-dsl") == declared
    assert user_agent() == f"hailuo-dsl/{declared}"
    assert re.fullmatch(r"hailuo-dsl/\d+\.\d+\.\d+\S*", user_agent())


async def test_every_request_carries_the_user_agent(
    api: Api, emulator: Emulator, images: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str, str | None]] = []
    handle = emulator.app.handle

    def recording(request: HttpRequest) -> HttpResponse:
        seen.append((request.method, request.path.split("?", 1)[0], request.headers.get("user-agent")))
        return handle(request)

    monkeypatch.setattr(emulator.app, "handle", recording)
    first = await api.upload_image(images["png"])
    last = await api.upload_image(images["jpeg"])
    request = VideoRequest(prompt="A girl grows up", image_urls=[first], metadata=RequestMetadata(last_frame_image=last))
    done = await api.wait((await api.submit(request)).id, timeout=10)
    await api.download(done, tmp_path)

    def call(path: str) -> str:
        if path == UPLOAD_PATH:
            return "upload"
        if path == SUBMIT_PATH:
            return "submit"
        return "query" if path.startswith(SUBMIT_PATH + "/") else "download" if path.startswith("/files/videos/") else path

    assert sorted({call(path) for _method, path, _agent in seen}) == ["download", "query", "submit", "upload"], seen
    assert {agent for _method, _path, agent in seen} == {f"hailuo-dsl/{version()}"}
