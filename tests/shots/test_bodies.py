"""The request bodies a compile gives: contract §2's examples, exactly, and golden files (a script
and its spec to the exact JSON lines and findings)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hailuo_dsl.output import FileReport, render
from hailuo_dsl.shots import compile_script


def write(root: Path, script: str) -> Path:
    path = root / "a.shot"
    path.write_text(script, encoding="utf-8")
    return path


# -- the request body, exactly as contract §2 -----------------------------------------------------


@pytest.mark.parametrize(
    ("script", "body"),
    [
        (
            "shot city\n  @resolution 1080P\n  City night scene, neon lights flickering, traffic flowing\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "City night scene, neon lights flickering, traffic flowing",
                "duration": 6,
                "resolution": "1080P",
            },
        ),
        (
            'shot mouse\n  @first_frame "https://example.com/first-frame.jpg"\n  A mouse runs toward the camera, smiling and blinking\n',
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A mouse runs toward the camera, smiling and blinking",
                "image_urls": ["https://example.com/first-frame.jpg"],
                "duration": 6,
                "resolution": "768P",
            },
        ),
        (
            'shot girl\n  @first_frame "https://example.com/first.jpg"\n  @last_frame "https://example.com/last.jpg"\n'
            "  A young girl gradually grows into an adult woman\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A young girl gradually grows into an adult woman",
                "image_urls": ["https://example.com/first.jpg"],
                "duration": 6,
                "resolution": "768P",
                "metadata": {"last_frame_image": "https://example.com/last.jpg"},
            },
        ),
        (
            "shot book\n  A man picks up a book [Pedestal up],\n  then reads [Static shot].\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A man picks up a book [Pedestal up], then reads [Static shot].",
                "duration": 6,
                "resolution": "768P",
            },
        ),
        (
            "shot waves\n  @duration 10\n  @prompt_optimizer true\n  @fast_pretreatment true\n  Waves hitting the beach at sunset\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "Waves hitting the beach at sunset",
                "duration": 10,
                "resolution": "768P",
                "metadata": {"prompt_optimizer": True, "fast_pretreatment": True},
            },
        ),
    ],
)
def test_bodies_of_the_contract(tmp_path: Path, script: str, body: dict[str, object]) -> None:
    """The contract's example bodies; duration and resolution are always sent (resolved), the
    other fields only when set (the fourth example leaves resolution to the service)."""
    result = compile_script(write(tmp_path, script))
    assert result.ok, result.diagnostics
    shot = result.shots[0]
    assert shot.request.body() == body
    assert shot.to_json() == {"shot": shot.name, "request": body, "local_images": {}, "request_hash": shot.request_hash()}


# -- golden files: script + spec -> the exact JSON lines (and findings) ----------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = "HAILUO_REGENERATE_GOLDEN"


def _portable(text: str) -> str:
    """Output with the golden folder's absolute location replaced by ``<golden>``."""
    return text.replace(GOLDEN.as_uri(), "file://<golden>").replace(str(GOLDEN), "<golden>")


@pytest.mark.parametrize("script", sorted(GOLDEN.glob("*.shot")), ids=lambda p: p.stem)
def test_golden(script: Path) -> None:
    """Compare exactly; to accept a deliberate change run ``HAILUO_REGENERATE_GOLDEN=1 pytest``
    and review the diff."""
    result = compile_script(script)
    jsonl = "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n" for s in result.shots)
    reports = [FileReport(script.name, result.script.text, [d for d in result.diagnostics if d.path is None])]
    for spec_path in sorted({d.path for d in result.diagnostics if d.path is not None}):
        found = [d for d in result.diagnostics if d.path == spec_path]
        reports.append(FileReport(Path(spec_path).name, Path(spec_path).read_text(encoding="utf-8"), found))
    actual = {".jsonl": _portable(jsonl), ".findings": _portable(render(reports, "text"))}
    for suffix, text in actual.items():
        expected = script.with_suffix(suffix)
        if os.environ.get(REGENERATE):
            if text:
                expected.write_text(text, encoding="utf-8")
            elif expected.exists():
                expected.unlink()
            continue
        assert text == (expected.read_text(encoding="utf-8") if expected.exists() else ""), f"{expected.name} differs"
