"""Start-up benchmark: ``hailuo lint FILE`` and ``hailuo --help`` against yamllint, a plain Python linter.

Run: ``python benchmarks/startup.py [--runs N]`` (yamllint comes with ``pip install -e ".[bench]"``).
pre-commit and editors start the linter once per save or commit, so its start-up is most of what
a user waits for. Each command runs as a whole process, as a user runs it, with the console
scripts installed beside this Python:

- ``hailuo lint`` of a prompt file and ``yamllint`` of a YAML file (target: ratio <= 1.0);
- ``hailuo --help`` and ``yamllint --help`` (target: ratio <= 1.0);
- ``hailuo lint`` of a ``.shot`` script (the compiler's checks too), against the same yamllint
  run: reported, no target.

One warm-up round is not counted (it also fills hailuo's terminal cache, as any first run
does). Then every round runs each command once, alternating hailuo and yamllint, in a new order
each round. Figures are medians over the rounds of each process's CPU time (user + system, the
operating system's accounting of the finished child, so other work on the machine does not
inflate it) and of its wall time; a ratio is the median of the round-by-round ratios, which stay
meaningful when the machine's speed drifts. The targets are judged on CPU time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPT_FILE = ROOT / "examples" / "prompts" / "bookshop.prompt"
SCRIPT_FILE = ROOT / "examples" / "launch.shot"
YAML_FILE = ROOT / ".pre-commit-hooks.yaml"
TARGET = 1.0
SEED = 2026

_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The commands' environment: bytecode is cached as on any machine by default, so every run
measures start-up, not compiling the modules again."""

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows: wall time only
    resource = None  # type: ignore[assignment]


@dataclass
class Command:
    """One command line and its measured runs."""

    label: str
    argv: list[str]
    ok_codes: tuple[int, ...]
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def run(self) -> tuple[float, float]:
        """Run once (output discarded); its CPU seconds (children's user + system) and wall seconds."""
        before = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            self.argv, cwd=ROOT, env=_ENV, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        wall = time.perf_counter() - start
        cpu = _children_cpu() - before
        if done.returncode not in self.ok_codes:
            message = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no message)"]
            raise SystemExit(f"startup: `{' '.join(self.argv)}` exited {done.returncode}: {message[0]}")
        return cpu, wall


def _children_cpu() -> float:
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _script(name: str) -> str | None:
    """The console script ``name`` installed beside this Python, else the one on PATH."""
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which(name)


def _median_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True) if y > 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="counted rounds (default 21)")
    args = parser.parse_args()

    hailuo = _script("hailuo")
    if hailuo is None:
        print('startup: the hailuo command is not installed beside this Python: pip install -e ".[bench]"', file=sys.stderr)
        return 2
    yamllint = _script("yamllint")
    if yamllint is None:
        print(
            "startup: yamllint is not installed, so there is nothing to compare with: "
            'pip install -e ".[bench]" (or pip install yamllint)',
            file=sys.stderr,
        )
        return 2

    with tempfile.TemporaryDirectory() as scratch:
        yaml_file = YAML_FILE
        if not yaml_file.is_file():  # a source tree without it: a file of the same kind
            yaml_file = Path(scratch) / "hooks.yaml"
            yaml_file.write_text("- id: hook\n  name: hook\n  entry: hook\n  language: python\n", encoding="utf-8")
        lint_prompt = Command(f"hailuo lint {PROMPT_FILE.relative_to(ROOT)}", [hailuo, "lint", str(PROMPT_FILE)], (0, 1))
        lint_script = Command(f"hailuo lint {SCRIPT_FILE.relative_to(ROOT)}", [hailuo, "lint", str(SCRIPT_FILE)], (0, 1))
        yaml_lint = Command(f"yamllint {yaml_file.name}", [yamllint, str(yaml_file)], (0, 1))
        hailuo_help = Command("hailuo --help", [hailuo, "--help"], (0,))
        yaml_help = Command("yamllint --help", [yamllint, "--help"], (0,))
        commands = [lint_prompt, lint_script, yaml_lint, hailuo_help, yaml_help]

        for command in commands:  # warm-up, not counted
            command.run()
        rng = random.Random(SEED)
        for _ in range(max(1, args.runs)):
            # Each round alternates hailuo and yamllint; which pair goes first changes.
            order = [lint_prompt, yaml_lint, hailuo_help, yaml_help, lint_script, yaml_lint]
            if rng.random() < 0.5:
                order = order[2:4] + order[0:2] + order[4:]
            ran: set[int] = set()
            for command in order:
                cpu, wall = command.run()
                if id(command) in ran:  # yamllint FILE runs twice a round: keep the mean of both
                    command.cpu[-1] = (command.cpu[-1] + cpu) / 2
                    command.wall[-1] = (command.wall[-1] + wall) / 2
                    continue
                ran.add(id(command))
                command.cpu.append(cpu)
                command.wall.append(wall)

    rounds = len(lint_prompt.cpu)
    print(f"Start-up, {rounds} rounds (one warm-up round not counted), medians; Python {sys.version.split()[0]}")
    measured = "CPU s" if resource is not None else "CPU s (not measured here)"
    print(f"  {'command':<46} {measured:>10} {'wall s':>10}")
    for command in commands:
        print(f"  {command.label:<46} {statistics.median(command.cpu):>10.3f} {statistics.median(command.wall):>10.3f}")

    print("Ratios (hailuo / yamllint, median of the rounds' ratios; target on CPU time):")
    met_all = True
    basis = "cpu" if resource is not None else "wall"
    for ours, theirs, targeted in [
        (lint_prompt, yaml_lint, True),
        (hailuo_help, yaml_help, True),
        (lint_script, yaml_lint, False),
    ]:
        cpu_ratio = _median_ratio(ours.cpu, theirs.cpu) if resource is not None else float("nan")
        wall_ratio = _median_ratio(ours.wall, theirs.wall)
        judged = cpu_ratio if basis == "cpu" else wall_ratio
        if targeted:
            met = judged <= TARGET
            met_all = met_all and met
            verdict = f"target <= {TARGET:.1f}: {'met' if met else 'NOT met'}"
        else:
            verdict = "no target"
        print(f"  {ours.label} / {theirs.label}: {cpu_ratio:.2f} (wall {wall_ratio:.2f})  {verdict}")
    print("Both targets met." if met_all else "A target is not met.")
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
