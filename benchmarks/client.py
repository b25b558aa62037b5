"""Client benchmarks against the emulator at zero latency.

Run: ``python benchmarks/client.py``. Each measurement is one function; ``main()`` runs them in turn
and prints the figures, the target and whether it is met.

- client overhead: requests per second of submit-then-get through ``AsyncClient`` and through a bare
  ``httpx.AsyncClient`` loop (same concurrency, same emulator, same run); target ratio >= 0.8.
  The emulator serves from a child process, so its work does not share the client's interpreter lock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.queues
import multiprocessing.synchronize
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.requests import VideoRequest

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


def main() -> None:
    with emulator_process() as server:
        report_client_overhead(server)


if __name__ == "__main__":
    main()
