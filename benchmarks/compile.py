"""Compile benchmark: a generated 1,000-shot script with its shot-spec.

Run: ``python benchmarks/compile.py``. The script mixes the three modes (text-to-video,
image-to-video, first-last-frame), camera sequences, 6 s and 10 s shots, settings from ``@lines``
and from the spec; the frames are four shared images, so the image checks read each file once
(cached per path, modification time and size).

Figures: parse, lint (``hailuo lint`` of the file: syntax, every prompt, compile checks) and
compile (``compile_script`` to requests, plus ``to_json`` with the request hashes) for the whole
file, median of several runs, the first compile measured cold (empty image cache); time per shot;
peak memory of lint + compile (tracemalloc, a separate run). Target: lint + compile of the
1,000 shots under 1 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from hailuo_dsl.config import LintConfig
from hailuo_dsl.documents import DocumentKind, lint_document
from hailuo_dsl.shots import compile_script, parse_script
from hailuo_dsl.shots import images as image_checks

SHOTS = 1000
RUNS = 5
TARGET_SECONDS = 1.0

FRAMES = {"a.png": (480, 640), "b.png": (480, 640), "c.jpg": (640, 360), "d.webp": (720, 720)}
PROMPTS = [
    "A mouse runs toward the camera, smiling and blinking [Push in],\n  then stops and looks up at the sky [Static shot].",
    "City night scene, neon lights flickering, traffic flowing far below [Truck left],\n  then a train glides between the towers [Pan right].",
    "A young girl gradually grows into an adult woman [Pan left, Pedestal up].",
    "The boats rock gently as the last light fades [Truck right],\n  then a lighthouse beam sweeps across the water [Zoom in].",
    "A detective freezes in a narrow hallway as he realises the truth [Push in, Zoom out],\n  the walls seeming to stretch behind him.",
]


def make_project(folder: Path) -> Path:
    """Write the frames, the spec and the 1,000-shot script; return the script's path."""
    for name, size in FRAMES.items():
        image = Image.new("RGB", size, "steelblue")
        ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="gold")
        image.save(folder / "frames" / name if (folder / "frames").is_dir() else _mkdir(folder / "frames") / name)
    spec = ['[defaults]\nresolution = "768P"\nprompt_optimizer = false\n']
    lines = ['spec "story.toml"\n']
    for i in range(SHOTS):
        name = f"shot-{i:04d}"
        lines.append(f"\n# shot {i}\nshot {name}\n")
        kind = i % 5
        if kind == 1:
            lines.append("  @first_frame frames/a.png\n")
        elif kind == 2:
            lines.append("  @first_frame frames/a.png\n  @last_frame frames/b.png\n")
        elif kind == 3:
            spec.append(f'[shots.{name}]\nfirst_frame = "frames/c.jpg"\nduration = 10\n')
        elif kind == 4:
            lines.append("  @first_frame frames/d.webp\n  @resolution 1080P\n")
        if i % 7 == 0 and kind != 4:
            lines.append("  @duration 10\n")
        lines.append(f"  {PROMPTS[i % len(PROMPTS)]}\n")
    (folder / "story.toml").write_text("\n".join(spec), encoding="utf-8")
    script = folder / "story.shot"
    script.write_text("".join(lines), encoding="utf-8")
    return script


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def timed(work: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        script_path = make_project(Path(tmp))
        text = script_path.read_text(encoding="utf-8")
        config = LintConfig()

        # Check the generated project is what it claims: every shot compiles, lint is clean.
        image_checks.clear_cache()
        start = time.perf_counter()
        first = compile_script(parse_script(text, script_path))
        [shot.to_json() for shot in first.shots]
        cold_compile = time.perf_counter() - start
        assert len(first.shots) == SHOTS and first.ok, first.diagnostics[:3]
        findings = lint_document(text, DocumentKind.SHOT, config, script_path)
        assert not findings, findings[:3]

        parse = timed(lambda: parse_script(text, script_path))
        lint = timed(lambda: lint_document(text, DocumentKind.SHOT, config, script_path))

        def compile_all() -> None:
            result = compile_script(parse_script(text, script_path))
            for shot in result.shots:
                shot.to_json()

        compile_ = timed(compile_all)

        tracemalloc.start()
        lint_document(text, DocumentKind.SHOT, config, script_path)
        compile_all()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    total = lint + compile_
    met = total < TARGET_SECONDS
    print(f"compile benchmark: {SHOTS} shots, {len(text):,} characters, {len(FRAMES)} shared frames (median of {RUNS} runs)")
    print(f"  parse                  {parse * 1000:8.1f} ms   {parse / SHOTS * 1e6:7.1f} us/shot")
    print(f"  lint (hailuo lint)     {lint * 1000:8.1f} ms   {lint / SHOTS * 1e6:7.1f} us/shot")
    print(f"  compile + to_json      {compile_ * 1000:8.1f} ms   {compile_ / SHOTS * 1e6:7.1f} us/shot")
    print(f"  compile, cold cache    {cold_compile * 1000:8.1f} ms   (first run: images read, hashed)")
    print(f"  peak memory            {peak / 1e6:8.1f} MB   (tracemalloc, lint + compile)")
    print(
        f"target: lint + compile of {SHOTS} shots < {TARGET_SECONDS:.1f} s; measured {total:.3f} s: {'MET' if met else 'NOT MET'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
