"""Language-server benchmark: start-up, and latency from an edit to its diagnostics.

Run: ``python benchmarks/lsp.py``. Real server subprocesses over stdio, driven by a pygls client.

1. Start-up: from spawning ``hailuo lsp`` to its ``initialize`` reply, and the same for the server
   started without the command line (what the CLI adds) and for a bare pygls server (imports pygls
   and lsprotocol, answers ``initialize``), in turn run by run; medians. Target: at most 1.3x the
   bare server.
2. Scaling, debounce 0: a 1-shot and a 200-shot script (about 2,200 lines, with a shot-spec and
   frames) open in one server, edited in turn; each edit flips one directive between a wrong and
   the right spelling (an incremental change, as editors send), so every edit lints, finds
   something different and publishes. Target: median on 200 shots at most 3x the median on 1 shot.
3. Default settings (no initialization options: the server chooses its debounce), the 200-shot
   script. Targets: median <= 100 ms, p95 <= 200 ms.
4. A single 2,000-character prompt file, debounce 0. Target: median < 5 ms.

Medians and 95th percentiles over 50 edits after 5 warm-up edits.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from PIL import Image
from pygls.lsp.client import LanguageClient

EDITS = 50
WARMUP = 5
STARTS = 10
HAILUO = [sys.executable, "-c", "from hailuo_dsl.cli import main; main()", "lsp"]
SERVER_ALONE = [sys.executable, "-c", "from hailuo_dsl.lsp.server import main; main()"]
"""The server started without the command line (click): what the CLI adds to start-up."""
BARE_SERVER = """\
from lsprotocol import types
from pygls.lsp.server import LanguageServer

LanguageServer("bare", "1").start_io()
"""

PROSE = [
    "A red fox trots across a frosty meadow at dawn, breath steaming in the cold air",
    "an old fisherman mends his net on the pier while gulls circle overhead",
    "neon signs flicker over a rain-soaked street as a cyclist speeds past",
    "a child in a yellow raincoat jumps into a puddle and laughs",
]
MOVES = ["Push in", "Pan left", "Tilt up", "Truck right", "Zoom out", "Pedestal up", "Static shot", "Tracking shot"]
SPEC = '[defaults]\nresolution = "768P"\nprompt_optimizer = false\n\n[shots.s001]\nduration = 10\n'


def shot_script(shots: int) -> str:
    """A script of ``shots`` shots of 11 lines each: settings (a frame on every fourth shot), a
    suppression, five prompt lines with three brackets, and a blank line."""
    out = ['# generated for the benchmark\nspec "bench.toml"\n']
    for i in range(shots):
        a, b, c = MOVES[i % len(MOVES)], MOVES[(i + 3) % len(MOVES)], MOVES[(i + 5) % len(MOVES)]
        frame = "  @first_frame frame.png\n" if i % 4 == 0 else "  @watermark false\n"
        out.append(
            f"\nshot s{i:03d}\n"
            f"  @duration {10 if i % 2 else 6}\n"
            f"{frame}"
            f"  # hailuo: ignore HL504\n"
            f"  {PROSE[i % len(PROSE)]} [{a}],\n"
            f"  then {PROSE[(i + 1) % len(PROSE)]}\n"
            f"  while {PROSE[(i + 2) % len(PROSE)]} [{b}],\n"
            f"  and {PROSE[(i + 3) % len(PROSE)]}\n"
            f"  until the light fades [{c}].\n"
        )
    return "".join(out)


def single_prompt(size: int = 2000) -> str:
    """A prompt of exactly ``size`` characters with a directive every sentence."""
    parts: list[str] = []
    i = 0
    while sum(len(p) for p in parts) < size:
        parts.append(f"{PROSE[i % len(PROSE)]} [{MOVES[i % len(MOVES)]}]. ")
        i += 1
    text = "".join(parts)[:size]
    return text[: text.rfind(".") + 1].ljust(size, " ")


# -- start-up -------------------------------------------------------------------------------------


async def time_to_initialize(command: list[str]) -> float:
    """Seconds from spawning ``command`` to reading its reply to ``initialize``."""
    body = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}}
    ).encode()
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    await process.stdin.drain()
    length = 0
    while True:
        line = await process.stdout.readline()
        if not line:
            raise RuntimeError(f"{command} ended before answering initialize")
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif not line.strip() and length:
            reply = json.loads(await process.stdout.readexactly(length))
            if reply.get("id") == 1:
                break
            length = 0
    elapsed = time.perf_counter() - started
    process.kill()
    await process.wait()
    return elapsed


async def startup(folder: Path) -> tuple[list[float], list[float], list[float]]:
    """Start-up times of ``hailuo lsp``, of the server without the CLI and of a bare pygls
    server, started in turn."""
    bare = folder / "bare_server.py"
    bare.write_text(BARE_SERVER, encoding="utf-8")
    ours: list[float] = []
    alone: list[float] = []
    theirs: list[float] = []
    for _ in range(STARTS):
        ours.append(await time_to_initialize(HAILUO))
        alone.append(await time_to_initialize(SERVER_ALONE))
        theirs.append(await time_to_initialize([sys.executable, str(bare)]))
    return ours, alone, theirs


# -- edits ----------------------------------------------------------------------------------------


class Driver:
    """A client that can wait for the diagnostics of one document version."""

    def __init__(self) -> None:
        self.client = LanguageClient("hailuo-benchmark", "1")
        self.waiting: dict[tuple[str, int], asyncio.Future[float]] = {}

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            pass  # "hailuo lsp <version> ready"

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version or 0)
            future = self.waiting.pop(key, None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

    async def start(self, options: dict[str, object] | None) -> None:
        await self.client.start_io(*HAILUO)
        await self.client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options=options)
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def expect(self, uri: str, version: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = future
        return future

    async def open(self, path: Path, text: str, language: str) -> None:
        uri = path.as_uri()
        done = self.expect(uri, 1)
        item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        await done


class Flipper:
    """Edits of one open document: the letter at ``at`` flipped between upper and lower case."""

    def __init__(self, driver: Driver, path: Path, text: str, at: int) -> None:
        self.driver, self.uri, self.upper, self.version = driver, path.as_uri(), text[at], 1
        line = text.count("\n", 0, at)
        column = at - (text.rfind("\n", 0, at) + 1)  # ASCII before it: code points = UTF-16 units
        self.span = types.Range(
            start=types.Position(line=line, character=column), end=types.Position(line=line, character=column + 1)
        )

    async def edit(self) -> float:
        """Milliseconds from one edit to its diagnostics."""
        self.version += 1
        letter = self.upper.lower() if self.version % 2 == 0 else self.upper
        done = self.driver.expect(self.uri, self.version)
        start = time.perf_counter()
        self.driver.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                content_changes=[types.TextDocumentContentChangePartial(range=self.span, text=letter)],
            )
        )
        return (await done - start) * 1000


def directive_at(text: str, shot: str) -> int:
    """The first letter of the first directive of ``shot``."""
    return text.index("[", text.index(f"shot {shot}\n")) + 1


async def edits(folder: Path, options: dict[str, object] | None, documents: list[tuple[str, str, str, int]]) -> list[list[float]]:
    """Latencies of edits to each document (name, text, language, offset), edited in turn."""
    driver = Driver()
    await driver.start(options)
    try:
        flippers = []
        for name, text, language, at in documents:
            path = folder / name
            await driver.open(path, text, language)
            flippers.append(Flipper(driver, path, text, at))
        found: list[list[float]] = [[] for _ in flippers]
        for round_ in range(WARMUP + EDITS):
            for flipper, latencies in zip(flippers, found, strict=True):
                latency = await flipper.edit()
                if round_ >= WARMUP:
                    latencies.append(latency)
        return found
    finally:
        await driver.stop()


def figures(latencies: list[float]) -> tuple[float, float]:
    return statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


async def run() -> bool:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "bench.toml").write_text(SPEC, encoding="utf-8")
        Image.new("RGB", (1280, 720), (90, 120, 160)).save(folder / "frame.png")
        big, small, prompt = shot_script(200), shot_script(1), single_prompt()

        runs = await startup(folder)
        (ours, alone, bare), (fastest, fastest_alone, fastest_bare) = [statistics.median(r) for r in runs], [min(r) for r in runs]
        ratio = ours / bare
        print(
            f"start-up (spawn to initialize reply, median of {STARTS}): hailuo lsp {ours * 1000:.0f} ms, "
            f"the server without the CLI {alone * 1000:.0f} ms, bare pygls server {bare * 1000:.0f} ms"
        )
        print(
            f"  fastest runs: {fastest * 1000:.0f} ms, {fastest_alone * 1000:.0f} ms and {fastest_bare * 1000:.0f} ms "
            f"(ratio to bare {fastest / fastest_bare:.2f})"
        )
        print(f"  ratio of medians {ratio:.2f} (target <= 1.3): {verdict(ratio <= 1.3)}")
        ok = ratio <= 1.3

        one, many = await edits(
            folder,
            {"debounce": 0},
            [("one.shot", small, "shot", directive_at(small, "s000")), ("many.shot", big, "shot", directive_at(big, "s100"))],
        )
        (m1, p1), (m200, p200) = figures(one), figures(many)
        ratio = m200 / m1
        print(
            f"scripts: 1 shot ({small.count(chr(10))} lines), 200 shots ({big.count(chr(10))} lines); edit -> publishDiagnostics, debounce 0:"
        )
        print(f"  1 shot: median {m1:.2f} ms, p95 {p1:.2f} ms; 200 shots: median {m200:.2f} ms, p95 {p200:.2f} ms")
        print(f"  ratio of medians {ratio:.2f} (target <= 3): {verdict(ratio <= 3)}")
        ok = ok and ratio <= 3

        (default,) = await edits(folder, None, [("default.shot", big, "shot", directive_at(big, "s100"))])
        median, p95 = figures(default)
        met = median <= 100 and p95 <= 200
        print(f"200 shots, default settings: median {median:.2f} ms, p95 {p95:.2f} ms (targets <= 100, <= 200): {verdict(met)}")
        ok = ok and met

        (single,) = await edits(
            folder, {"debounce": 0}, [("bench.prompt", prompt, "hailuo-prompt", prompt.index("[Pan left]") + 1)]
        )
        median, p95 = figures(single)
        print(
            f"2,000-character prompt, debounce 0: median {median:.2f} ms, p95 {p95:.2f} ms (target median < 5): {verdict(median < 5)}"
        )
        return ok and median < 5


def main() -> None:
    sys.exit(0 if asyncio.run(run()) else 1)


if __name__ == "__main__":
    main()
