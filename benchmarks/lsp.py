"""Language-server latency: from ``didChange`` to the matching ``publishDiagnostics``.

Run: ``python benchmarks/lsp.py``. A real server subprocess (``python -m hailuo_dsl.lsp``, debounce 0)
is driven over stdio by a pygls client. Each edit flips one directive between a wrong and the right
spelling (an incremental change, as editors send), so every run lints, finds something different
and publishes. Measured for a generated 200-shot ``.shot`` file (with a shot-spec) and for a single
2,000-character prompt; median and 95th percentile over 50 edits after 5 warm-up edits.

Targets: median < 50 ms (200 shots), < 5 ms (single prompt).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

EDITS = 50
WARMUP = 5
TARGETS_MS = {"200-shot .shot file": 50.0, "2,000-character prompt": 5.0}

PROSE = [
    "A red fox trots across a frosty meadow at dawn, breath steaming in the cold air",
    "an old fisherman mends his net on the pier while gulls circle overhead",
    "neon signs flicker over a rain-soaked street as a cyclist speeds past",
    "a child in a yellow raincoat jumps into a puddle and laughs",
]
MOVES = ["Push in", "Pan left", "Tilt up", "Truck right", "Zoom out", "Pedestal up", "Static shot", "Tracking shot"]


def shot_script(shots: int) -> str:
    """A script of ``shots`` shots, each with settings, two prompt lines and two brackets."""
    out = ['# generated for the benchmark\nspec "bench.toml"\n']
    for i in range(shots):
        a, b = MOVES[i % len(MOVES)], MOVES[(i + 3) % len(MOVES)]
        out.append(
            f"\nshot s{i:03d}\n"
            f"  @duration {10 if i % 2 else 6}\n"
            f"  # hailuo: ignore HL504\n"
            f"  {PROSE[i % len(PROSE)]} [{a}],\n"
            f"  then {PROSE[(i + 1) % len(PROSE)]} [{b}].\n"
        )
    return "".join(out)


SPEC = '[defaults]\nresolution = "768P"\nprompt_optimizer = false\n\n[shots.s001]\nduration = 10\n'


def single_prompt(size: int = 2000) -> str:
    """A prompt of exactly ``size`` characters with a directive every sentence."""
    parts: list[str] = []
    i = 0
    while sum(len(p) for p in parts) < size:
        parts.append(f"{PROSE[i % len(PROSE)]} [{MOVES[i % len(MOVES)]}]. ")
        i += 1
    text = "".join(parts)[:size]
    return text[: text.rfind(".") + 1].ljust(size, " ")


class Driver:
    """A client that can wait for the diagnostics of one document version."""

    def __init__(self) -> None:
        self.client = LanguageClient("hailuo-benchmark", "1")
        self.waiting: dict[tuple[str, int], asyncio.Future[float]] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version or 0)
            future = self.waiting.pop(key, None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "hailuo_dsl.lsp")
        await self.client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0})
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

    async def edit_latencies(self, path: Path, text: str, at: int) -> list[float]:
        """Milliseconds from each edit to its diagnostics, flipping the case of the letter at
        ``at`` (the first letter of a directive: a right and a wrong spelling in turn)."""
        uri = path.as_uri()
        upper = text[at]
        line = text.count("\n", 0, at)
        column = at - (text.rfind("\n", 0, at) + 1)  # ASCII before it: code points = UTF-16 units
        span = types.Range(start=types.Position(line=line, character=column), end=types.Position(line=line, character=column + 1))
        latencies = []
        for version in range(2, 2 + WARMUP + EDITS):
            letter = upper.lower() if version % 2 == 0 else upper
            done = self.expect(uri, version)
            start = time.perf_counter()
            self.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangePartial(range=span, text=letter)],
                )
            )
            latencies.append((await done - start) * 1000)
        return latencies[WARMUP:]


def report(name: str, latencies: list[float]) -> bool:
    median = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    target = TARGETS_MS[name]
    met = median < target
    print(
        f"{name}: median {median:.2f} ms, p95 {p95:.2f} ms over {len(latencies)} edits (target median < {target:g} ms): {'MET' if met else 'NOT MET'}"
    )
    return met


async def run() -> bool:
    driver = Driver()
    await driver.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "bench.toml").write_text(SPEC, encoding="utf-8")
            script = shot_script(200)
            shot_path = root / "bench.shot"
            await driver.open(shot_path, script, "shot")
            shot_ms = await driver.edit_latencies(shot_path, script, script.index("[", script.index("shot s100")) + 1)

            prompt = single_prompt()
            prompt_path = root / "bench.prompt"
            await driver.open(prompt_path, prompt, "hailuo-prompt")
            prompt_ms = await driver.edit_latencies(prompt_path, prompt, prompt.index("[Pan left]") + 1)
    finally:
        await driver.stop()
    print(f"200-shot script: {len(script):,} characters; prompt: {len(prompt):,} characters")
    ok = report("200-shot .shot file", shot_ms)
    return report("2,000-character prompt", prompt_ms) and ok


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
