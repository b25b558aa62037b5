"""Every command block of the README, CONTRIBUTING.md, docs/ and editors/ runs as written, in a
copy of examples/ against the built-in emulator (no key, no network), and prints what the page
shows; a block that names a file is that file. The conventions are in CONTRIBUTING.md."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from doc_blocks import ROOT, Block, blocks, console_commands, documents, normalise

DOCUMENTS = documents()
SHELL_TIMEOUT = 120


def _environment(work: Path) -> dict[str, str]:
    """A newcomer's shell: this checkout's ``hailuo`` first on the PATH, no API key or gateway of
    the machine, a cache of its own, and output that is not a terminal. Every proxy variable names
    a closed port on loopback, so a block that reaches for the network fails at once without
    leaving the machine (the emulator, on loopback, is reached directly)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HAILUO_") and key != "COLUMNS"}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = "http://127.0.0.1:9"
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "/usr/bin:/bin")])
    env["HAILUO_CACHE_DIR"] = str(work / ".cache")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _shell(command: str, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=SHELL_TIMEOUT,
    )


def _run_block(block: Block, work: Path, env: dict[str, str]) -> list[str]:
    """Run one block; the problems found, each with the document's line."""
    if block.marker == "write":
        target = work / block.argument
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")
        return []
    if block.marker is not None or not block.is_command:
        return []
    if block.language == "python":
        script = work / f"block-{block.line}.py"
        script.write_text(block.text, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=SHELL_TIMEOUT
        )
        return [] if run.returncode == 0 else [f"{block.where}: the Python block failed:\n{run.stderr}"]
    if block.language != "console":
        run = _shell("set -e\n" + block.text, work, env)
        return [] if run.returncode == 0 else [f"{block.where}: exit {run.returncode}:\n{run.stdout}"]
    problems = []
    for command in console_commands(block):
        run = _shell(command.command, work, env)
        where = f"{block.doc.relative_to(ROOT)}:{command.line}: $ {command.command}"
        if command.output is None:
            if run.returncode != 0:
                problems.append(f"{where}\nexit {run.returncode} (no output shown, so it must succeed):\n{run.stdout}")
            continue
        shown, got = normalise(command.output, work), normalise(run.stdout, work)
        if shown != got:
            problems.append(f"{where}\n--- shown\n{shown}--- printed (exit {run.returncode})\n{got}")
    return problems


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in DOCUMENTS])
def test_command_blocks_print_what_the_page_shows(doc: Path, tmp_path: Path) -> None:
    """The blocks of one page run in order in one working folder (a copy of examples/), so a page
    read from the top works when followed in order."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("renders", ".hailuo"))
    env = _environment(work)
    problems = [problem for block in blocks(doc) for problem in _run_block(block, work, env)]
    assert not problems, "\n\n".join(problems)


def test_the_pages_follow_the_block_conventions() -> None:
    """Markers are known, a skip says why, a file block is that file, and a console block starts
    with a command."""
    problems = []
    for doc in DOCUMENTS:
        for block in blocks(doc):
            if block.marker is None:
                if block.language == "console":
                    console_commands(block)  # raises on output before any command
                continue
            if block.marker not in ("skip", "file", "write"):
                problems.append(f"{block.where}: unknown marker 'doc: {block.marker}' (skip, file or write)")
            elif block.marker == "skip" and not (block.is_command and block.argument):
                problems.append(f"{block.where}: 'doc: skip' needs a command block and a reason")
            elif block.marker == "file":
                path = ROOT / block.argument
                if not path.is_file():
                    problems.append(f"{block.where}: {block.argument}: no such file")
                elif path.read_text(encoding="utf-8") != block.text:
                    problems.append(f"{block.where}: the block is not the text of {block.argument}")
            elif block.marker == "write" and (not block.argument or Path(block.argument).is_absolute()):
                problems.append(f"{block.where}: 'doc: write' needs a relative path")
    assert not problems, "\n".join(problems)


def test_not_run_blocks_say_why() -> None:
    """A block that is not run names what it needs that a test must not have; the README's main
    job (render the examples on the emulator) is run here as well as in CI."""
    skipped = [(b.where, b.argument) for doc in DOCUMENTS for b in blocks(doc) if b.marker == "skip"]
    assert all(len(reason.split()) >= 3 for _, reason in skipped), skipped
    readme = [b for b in blocks(ROOT / "README.md") if b.is_command and b.marker is None]
    assert any("hailuo render examples/" in b.text and "--emulator" in b.text for b in readme)
