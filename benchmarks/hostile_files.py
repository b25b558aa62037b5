"""Hostile files benchmark: time and peak memory of the commands on the worst inputs.

Run: ``python benchmarks/hostile_files.py``. Each case is made in a temporary folder and run as its
own ``hailuo`` process, which reports its peak resident memory (``VmHWM``, Linux; elsewhere the
column shows ``-``); the table prints the wall time, the peak, the exit code and the bytes written.
Targets: every peak <= 400 MB and every output <= 2 MB, and time linear in the input: the worst
script at the limit within 2.6 times the same script at half the limit (each the best of three runs,
so that other work on the machine weighs less). Cases: a prompt of 20,000 ``[`` (every finding on
one line); a 50 MB prompt; ``/dev/zero``; a script as large as the limit allows whose every byte is
a finding; 33,000 fixes in one script; lone CR line ends; a spec nested 1,000 levels deep; JPEG
frames padded with 30 MB and 9 MB of fill bytes; a PNG declaring 12000x12000 pixels with no image
data.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from PIL import Image

from hailuo_dsl.textfile import TEXT_FILE_LIMIT

CHILD = """
import atexit, sys
REPORT = sys.argv.pop(1)

def peak():
    try:
        with open("/proc/self/status") as status, open(REPORT, "w") as out:
            out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    except OSError:
        pass

atexit.register(peak)
from hailuo_dsl.cli import main
sys.argv[0] = "hailuo"
main()
"""


def _jpeg(path: Path, padding: int) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), "steelblue").save(buffer, "JPEG")
    data = buffer.getvalue()
    cut = 4 + int.from_bytes(data[4:6], "big")
    path.write_bytes(data[:cut] + b"\xff" * padding + data[cut:])


def _png_without_data(path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 12000, 12000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))


def make_inputs(folder: Path) -> None:
    (folder / "brackets.prompt").write_text("[" * 20_000, encoding="utf-8")
    with (folder / "big.prompt").open("wb") as handle:
        handle.write(b"A man walks [pan left] slowly. " * (50_000_000 // 31))
    (folder / "worst.shot").write_text("shot a\n  " + "[" * (TEXT_FILE_LIMIT - 20) + "\n", encoding="utf-8")
    (folder / "half.shot").write_text("shot a\n  " + "[" * (TEXT_FILE_LIMIT // 2 - 20) + "\n", encoding="utf-8")
    lines = (TEXT_FILE_LIMIT - 20) // 15
    (folder / "fixes.shot").write_text("shot a\n" + "  [pan left] x\n" * lines, encoding="utf-8")
    (folder / "mac.shot").write_bytes(b"shot a\r  @duration 6\r  A man [pan left]\r\rshot b\r  A dog [zoom in]\r")
    (folder / "deep.toml").write_text("[defaults]\nx = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    (folder / "deep.shot").write_text('spec "deep.toml"\nshot a\n  A man [Pan left]\n', encoding="utf-8")
    _jpeg(folder / "fill30.jpg", 30_000_000)
    _jpeg(folder / "fill9.jpg", 9_000_000)
    _png_without_data(folder / "empty.png")
    frames = "".join(
        f'shot {n}\n  @first_frame "{n}.{ext}"\n  A man walks [Pan left]\n'
        for n, ext in (("fill30", "jpg"), ("fill9", "jpg"), ("empty", "png"))
    )
    (folder / "frames.shot").write_text(frames, encoding="utf-8")


CASES: list[tuple[str, list[str]]] = [
    ("20,000 '[' prompt, text report", ["lint", "brackets.prompt"]),
    ("20,000 '[' prompt, JSON report", ["lint", "--output-format", "json", "brackets.prompt"]),
    ("50 MB prompt", ["lint", "big.prompt"]),
    ("/dev/zero", ["lint", "/dev/zero"]),
    ("worst script at half the limit: lint", ["lint", "half.shot"]),
    ("worst script at the limit: lint", ["lint", "worst.shot"]),
    ("worst script at the limit: fmt --check", ["fmt", "--check", "worst.shot"]),
    ("worst script at the limit: compile", ["compile", "worst.shot"]),
    ("33,000 fixes: lint --diff", ["lint", "--diff", "fixes.shot"]),
    ("lone CR: lint --fix --unsafe-fixes", ["lint", "--fix", "--unsafe-fixes", "mac.shot"]),
    ("spec nested 1,000 deep: compile", ["compile", "deep.shot"]),
    ("frames: 30 MB + 9 MB fill, 12000x12000 PNG", ["lint", "frames.shot"]),
]
LINEAR = ("worst script at half the limit: lint", "worst script at the limit: lint")


def run(folder: Path, args: list[str]) -> tuple[float, str, int, int]:
    report = folder / ".peak"
    report.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(report), *args], cwd=folder, capture_output=True)
    elapsed = time.perf_counter() - started
    peak = f"{int(report.read_text()) / 1024:.0f} MB" if report.exists() else "-"
    return elapsed, peak, done.returncode, len(done.stdout) + len(done.stderr)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_inputs(folder)
        print(f"{'case':<46} {'time':>8} {'peak':>8} {'exit':>5} {'output':>10}")
        times: dict[str, float] = {}
        peaks: list[float] = []
        outputs: list[int] = []
        for label, args in CASES:
            if args[-1].startswith("/dev/") and not os.path.exists(args[-1]):
                continue
            elapsed, peak, code, written = run(folder, args)
            if label in LINEAR:
                elapsed = min([elapsed] + [run(folder, args)[0] for _ in range(2)])
            times[label] = elapsed
            peaks.extend([float(peak.split()[0])] if peak != "-" else [])
            outputs.append(written)
            print(f"{label:<46} {elapsed:>7.2f}s {peak:>8} {code:>5} {written:>10,}")
        ratio = times[LINEAR[1]] / times[LINEAR[0]]
        print()
        print(f"peak <= 400 MB: {'met' if all(p <= 400 for p in peaks) else 'NOT met'} (highest {max(peaks, default=0):.0f} MB)")
        print(f"output <= 2 MB: {'met' if max(outputs) <= 2_000_000 else 'NOT met'} (largest {max(outputs):,} bytes)")
        print(f"linear time (limit / half <= 2.6): {'met' if ratio <= 2.6 else 'NOT met'} ({ratio:.2f})")


if __name__ == "__main__":
    main()
