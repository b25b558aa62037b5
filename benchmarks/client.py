"""Client benchmarks against the emulator at zero latency.

Run: ``python benchmarks/client.py``. Each measurement is one function; ``main()`` runs them in turn
and prints the figures, the target and whether it is met.

- client overhead: requests per second of submit-then-get through ``AsyncClient`` and through a bare
  ``httpx.AsyncClient`` loop (same concurrency, same emulator, same run); target ratio >= 0.8.
  The emulator serves from a child process, so its work does not share the client's interpreter lock.
- render pipeline: ``render_script`` of a generated 500-shot script at concurrency 50: wall time,
  requests per shot, and the emulator's accepted submits, which must equal the shots (one each).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.queues
import multiprocessing.synchronize
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator

CONCURRENCY = 16
PAIRS = 250  # submit + get pairs per round
ROUNDS = 3
OVERHEAD_TARGET = 0.8
REQUEST = VideoRequest(prompt="City night scene, neon lights flickering [Pan left]", resolution="1080P")


@dataclass(frozen=True)
class Server:
    """Where an emulator serves, and its key."""

    url: str
    api_key: str


def _serve(address: multiprocessing.queues.Queue[tuple[str, str]], stop: multiprocessing.synchronize.Event) -> None:
    with Emulator(latency=0.0, time_scale=1000.0) as emulator:
        address.put((emulator.url, emulator.api_key))
        stop.wait()


@contextmanager
def emulator_process() -> Iterator[Server]:
    """An emulator at zero latency in a child process."""
    context = multiprocessing.get_context("spawn")
    address: multiprocessing.queues.Queue[tuple[str, str]] = context.Queue()
    stop = context.Event()
    process = context.Process(target=_serve, args=(address, stop), daemon=True)
    process.start()
    try:
        url, key = address.get(timeout=30)
        yield Server(url, key)
    finally:
        stop.set()
        process.join(timeout=10)


async def _run_pairs(pair: Callable[[], Awaitable[None]], pairs: int, concurrency: int) -> float:
    """Requests per second of ``pairs`` submit-then-get pairs run by ``concurrency`` workers."""
    left = pairs

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await pair()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return 2 * pairs / (time.perf_counter() - start)


async def measure_async_client(server: Server, *, pairs: int = PAIRS, concurrency: int = CONCURRENCY) -> float:
    """Requests per second of submit-then-get through ``AsyncClient``."""
    async with AsyncClient(server.api_key, server.url) as client:

        async def pair() -> None:
            task = await client.submit(REQUEST)
            await client.get(task.id)

        return await _run_pairs(pair, pairs, concurrency)


async def measure_bare_httpx(server: Server, *, pairs: int = PAIRS, concurrency: int = CONCURRENCY) -> float:
    """Requests per second of the same calls through a bare ``httpx.AsyncClient`` (JSON in, JSON out)."""
    headers = {"Authorization": f"Bearer {server.api_key}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as client:

        async def pair() -> None:
            submitted = await client.post("/v1/videos/generations", json=REQUEST.body())
            submitted.raise_for_status()
            task_id = submitted.json()["id"]
            queried = await client.get(f"/v1/videos/generations/{task_id}")
            queried.raise_for_status()
            queried.json()

        return await _run_pairs(pair, pairs, concurrency)


def report_client_overhead(server: Server) -> bool:
    """Interleaved rounds of both measurements; the median of each, their ratio, MET or NOT MET."""
    asyncio.run(measure_async_client(server, pairs=50))  # warm up both paths
    asyncio.run(measure_bare_httpx(server, pairs=50))
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(ROUNDS):
        ours.append(asyncio.run(measure_async_client(server)))
        bare.append(asyncio.run(measure_bare_httpx(server)))
    client_rps, bare_rps = statistics.median(ours), statistics.median(bare)
    ratio = client_rps / bare_rps
    met = ratio >= OVERHEAD_TARGET
    print(
        f"client overhead ({PAIRS} submit+get pairs x {ROUNDS} rounds, concurrency {CONCURRENCY}, emulator latency 0, in a child process):"
    )
    print(f"  AsyncClient          {client_rps:8.0f} requests/s")
    print(f"  bare httpx.AsyncClient {bare_rps:6.0f} requests/s")
    print(f"  ratio {ratio:.2f} (target >= {OVERHEAD_TARGET}): {'MET' if met else 'NOT MET'}")
    return met


RENDER_SHOTS = 500
RENDER_CONCURRENCY = 50


def _render_script(folder: Path, shots: int) -> Path:
    """A generated script of ``shots`` shots; every tenth starts from the same local frame."""
    from PIL import Image

    Image.new("RGB", (640, 360), "teal").save(folder / "frame.png")
    lines: list[str] = []
    for i in range(shots):
        lines.append(f"shot s{i:04d}")
        if i % 10 == 0:
            lines.append('  @first_frame "frame.png"')
        lines.append(f"  Take {i}: a kite rises over the dunes at dusk [Pedestal up], then drifts away [Truck left].")
        lines.append("")
    script = folder / "bench.shot"
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def report_render_pipeline(shots: int = RENDER_SHOTS, concurrency: int = RENDER_CONCURRENCY) -> bool:
    """``render_script`` (what ``hailuo render`` runs) of a generated script on the zero-latency
    emulator (in this process, as ``hailuo render --emulator`` runs it; a 60 s task takes 60 ms and
    the client polls on the same scaled cadence): wall time, requests per shot, accepted submits
    (target: exactly one per shot), and a rerun of the finished render (target: no request)."""
    from hailuo_dsl.render import render_script

    with tempfile.TemporaryDirectory() as tmp, Emulator(latency=0.0, time_scale=1000.0) as emulator:
        folder = Path(tmp)
        script = _render_script(folder, shots)

        async def render() -> tuple[float, bool]:
            client = AsyncClient(emulator.api_key, emulator.url, poll_interval=0.01, first_poll_delay=0.005)
            async with client:
                start = time.perf_counter()
                summary = await render_script(script, client=client, concurrency=concurrency, out_dir=folder / "out")
                return time.perf_counter() - start, summary.ok

        wall, ok = asyncio.run(render())
        requests = dict(emulator.stats.requests)
        accepted = emulator.stats.submits_accepted
        rerun, rerun_ok = asyncio.run(render())
        rerun_requests = sum(emulator.stats.requests.values()) - sum(requests.values())
        videos = len(list((folder / "out").glob("*.mp4")))
    per_shot = sum(requests.values()) / shots
    met = ok and rerun_ok and accepted == shots and videos == shots and rerun_requests == 0
    print(f"render pipeline ({shots} shots, concurrency {concurrency}, emulator latency 0 in this process, 60 ms tasks):")
    print(f"  wall time {wall:.2f} s ({shots / wall:.0f} shots/s), {videos} videos on disk")
    detail = ", ".join(f"{name} {count}" for name, count in sorted(requests.items()))
    print(f"  requests per shot {per_shot:.2f} (in all: {detail}; one frame shared by {len(range(0, shots, 10))} shots)")
    print(
        f"  submits accepted {accepted} (target = {shots}); rerun of the finished render {rerun:.2f} s, {rerun_requests} requests (target 0)"
    )
    print(f"  {'MET' if met else 'NOT MET'}")
    return met


def main() -> None:
    with emulator_process() as server:
        report_client_overhead(server)
    report_render_pipeline()


if __name__ == "__main__":
    main()
