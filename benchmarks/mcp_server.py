"""The MCP server as an assistant meets it: start-up, a tool's round trip, and a render that answers
at once while it goes on.

Run: ``python benchmarks/mcp_server.py`` (needs ``pip install -e ".[mcp]"``). A real ``hailuo mcp``
subprocess is driven over stdio by the SDK's own client. Figures: the time from starting the process
to the answer of its first tool call (start-up, the SDK's import included); the median and 95th
percentile of ``lint_prompt`` on a 2,000-character prompt over 50 calls after 5 warm-up calls; the
time ``start_render`` of the 3-shot ``examples/city-night.shot`` on the emulator takes to answer, the
median ``lint_prompt`` round trip while that render runs, and the render's own length.

Targets: ``start_render`` answers in under 1 s (an assistant cuts a call after about 60 s, and a real
render takes minutes); ``lint_prompt`` median under 50 ms, alone and during the render.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters
except ImportError:
    sys.exit('this benchmark needs the MCP SDK: pip install -e ".[mcp]"')

CALLS = 50
WARMUP = 5
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROMPT_PARTS = [
    "A red fox trots across a frosty meadow at dawn [Push in], breath steaming in the cold air",
    "an old fisherman mends his net on the pier [Pan left] while gulls circle overhead",
    "neon signs flicker over a rain-soaked street [Truck right] as a cyclist speeds past",
]


def prompt(length: int = 2000) -> str:
    text = ""
    while len(text) < length:
        text += PROMPT_PARTS[len(text) % len(PROMPT_PARTS)] + ", then "
    return text[:length].rsplit(" ", 1)[0] + "."


async def timed(client: Client, tool: str, **arguments: Any) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    result = await client.call_tool(tool, arguments)
    elapsed = time.perf_counter() - start
    if result.is_error or result.structured_content is None:
        raise SystemExit(f"{tool} failed: {result.content}")
    return elapsed, result.structured_content


def figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


async def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="hailuo-mcp-bench-"))
    for path in EXAMPLES.glob("city-night.*"):
        shutil.copy(path, folder / path.name)
    script = str(folder / "city-night.shot")
    text = prompt()
    hailuo = Path(sys.executable).parent / "hailuo"
    command, args = (str(hailuo), ["mcp"]) if hailuo.is_file() else (sys.executable, ["-m", "hailuo_dsl", "mcp"])
    ok = True
    try:
        begun = time.perf_counter()
        async with Client(StdioServerParameters(command=command, args=args, cwd=folder)) as client:
            await timed(client, "list_directives")
            startup = time.perf_counter() - begun
            for _ in range(WARMUP):
                await timed(client, "lint_prompt", text=text)
            alone = [(await timed(client, "lint_prompt", text=text))[0] for _ in range(CALLS)]

            render_began = time.perf_counter()
            answer_time, started = await timed(client, "start_render", script=script, emulator=True)
            during: list[float] = []
            while True:
                during.append((await timed(client, "lint_prompt", text=text))[0])
                _, status = await timed(client, "render_status", script=script, emulator=True)
                if status["run"]["state"] != "running":
                    break
            render_length = time.perf_counter() - render_began
            if not started["started"] or status["run"]["state"] != "finished":
                raise SystemExit(f"the render did not finish: {status['run']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    median, p95 = figures(alone)
    during_median, during_p95 = figures(during) if len(during) > 1 else (during[0] * 1000,) * 2
    print(f"start-up to the first answer:            {startup * 1000:8.0f} ms")
    print(f"lint_prompt, 2,000 characters:           median {median:6.1f} ms   p95 {p95:6.1f} ms  ({CALLS} calls)")
    print(f"start_render (3 shots, emulator) answers: {answer_time * 1000:7.1f} ms; the render took {render_length:.2f} s")
    print(
        f"lint_prompt during the render:           median {during_median:6.1f} ms   p95 {during_p95:6.1f} ms  ({len(during)} calls)"
    )
    for name, value, target in (
        ("start_render answer", answer_time * 1000, 1000.0),
        ("lint_prompt median", median, 50.0),
        ("lint_prompt median during the render", during_median, 50.0),
    ):
        met = value < target
        ok &= met
        print(f"  target {name} < {target:.0f} ms: {'met' if met else 'NOT met'} ({value:.1f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
