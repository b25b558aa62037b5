"""Starting ``hailuo mcp`` as an assistant does (a subprocess over stdio) and talking to it with the
SDK's own client."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def hailuo_command() -> tuple[str, list[str]]:
    """``hailuo mcp`` from this environment (the console script beside the interpreter when installed)."""
    script = Path(sys.executable).parent / "hailuo"
    if script.is_file():
        return str(script), ["mcp"]
    return sys.executable, ["-c", "from hailuo_dsl.cli import main; main()", "mcp"]


@asynccontextmanager
async def serve(cwd: Path, env: dict[str, str] | None = None) -> AsyncIterator[Client]:
    """A connected client of a fresh ``hailuo mcp`` started in ``cwd`` (no API key unless ``env`` gives one)."""
    command, args = hailuo_command()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HAILUO_")}
    environment.update(env or {})
    params = StdioServerParameters(command=command, args=args, cwd=cwd, env=environment)
    async with Client(params, raise_exceptions=True) as client:
        yield client


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """A tool's structured answer; the call must succeed, and its text is the same data as JSON."""
    result = await client.call_tool(tool, arguments)
    text = "".join(getattr(block, "text", "") for block in result.content)
    assert not result.is_error, f"{tool} failed: {text}"
    assert result.structured_content is not None
    assert json.loads(text) == result.structured_content
    return result.structured_content


async def refused(client: Client, tool: str, *, one_line: bool = True, **arguments: Any) -> str:
    """The message of a tool call that must fail: one line of ours (the SDK's own refusal of
    arguments against the input schema lists each problem on a line of its own)."""
    result = await client.call_tool(tool, arguments)
    text = "".join(getattr(block, "text", "") for block in result.content)
    assert result.is_error, f"{tool} answered {result.structured_content}"
    assert "Traceback" not in text
    assert "\n" not in text.strip() or not one_line, text
    return text


def copy_example(name: str, into: Path) -> Path:
    """An example script with its spec and frames, copied so a render writes beside the copy."""
    for path in EXAMPLES.glob(name.removesuffix(".shot") + ".*"):
        shutil.copy(path, into / path.name)
    if not (into / "frames").exists():
        shutil.copytree(EXAMPLES / "frames", into / "frames")
    return into / name
