"""``hailuo mcp`` driven as an assistant drives it: a real subprocess over stdio, the SDK's own client.

Every answer is held equal to what the core the CLI calls gives for the same input, so the server
stays a thin door to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from mcp_helpers import call, copy_example, refused, serve

from hailuo_dsl.config import load_config, with_overrides
from hailuo_dsl.documents import DocumentKind, fix_document, format_document, lint_document
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.render import Journal, ShotState, find_journal
from hailuo_dsl.render.location import EMULATOR_ENDPOINT
from hailuo_dsl.render.plan import plan_render
from hailuo_dsl.rules import BY_CODE, RULES
from hailuo_dsl.shots.compiler import compile_script

TOOLS = {
    "lint_prompt",
    "fix_prompt",
    "format_prompt",
    "list_directives",
    "explain_rule",
    "compile_script",
    "plan_render",
    "start_render",
    "render_status",
    "assemble_film",
}


async def test_tools_and_resources_are_listed_with_schemas(tmp_path: Path) -> None:
    async with serve(tmp_path) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(listed) == TOOLS
        for tool in listed.values():
            assert tool.description, tool.name
            assert tool.input_schema["type"] == "object", tool.name
            assert tool.output_schema is not None and tool.output_schema["type"] == "object", tool.name
        assert listed["lint_prompt"].input_schema["required"] == ["text"]
        assert listed["compile_script"].input_schema["required"] == ["script"]
        assert "findings" in listed["compile_script"].output_schema["properties"]

        resources = {str(r.uri) for r in (await client.list_resources()).resources}
        assert resources == {"hailuo://rules", "hailuo://directives"}
        rules = json.loads((await client.read_resource("hailuo://rules")).contents[0].text)  # type: ignore[union-attr]
        assert [(r["code"], r["name"], r["severity"]) for r in rules["rules"]] == [
            (r.code, r.name, r.severity.value) for r in RULES
        ]
        table = json.loads((await client.read_resource("hailuo://directives")).contents[0].text)  # type: ignore[union-attr]
        assert [(d["english"], d["chinese"]) for d in table["directives"]] == [(d.name, d.chinese) for d in DIRECTIVES]
        assert await call(client, "list_directives") == table


async def test_prompt_tools_answer_what_the_core_gives(tmp_path: Path) -> None:
    config = load_config(tmp_path)[0]
    text = "A lamb stands on a hill,\nthe wind rising [Push out] [push in ,pan left]."
    async with serve(tmp_path) as client:
        linted = await call(client, "lint_prompt", text=text)
        expected = lint_document(text, DocumentKind.PROMPT, config)
        assert [(f["code"], f["span"]["start"], f["span"]["end"], f["message"]) for f in linted["findings"]] == [
            (d.code, d.start, d.end, d.message) for d in expected
        ]
        typo = next(f for f in linted["findings"] if f["code"] == "HL102")
        assert (typo["span"]["line"], typo["span"]["column"]) == (2, 18)  # 1-based, as editors count: the name inside its bracket
        assert typo["fix"]["edits"] == [{"start": typo["span"]["start"], "end": typo["span"]["end"], "text": "Pull out"}]
        assert linted["fixed_text"] == fix_document(text, DocumentKind.PROMPT, config).text
        assert not linted["clean"]

        many = "A fox [Push in], then [Pan left], then [Tilt up], then [Zoom in], then [Truck right]."
        for duration in (6, 10):
            found = await call(client, "lint_prompt", text=many, duration=duration)
            core = lint_document(many, DocumentKind.PROMPT, with_overrides(config, {"duration": duration}))
            assert [f["code"] for f in found["findings"]] == [d.code for d in core]
        assert "duration" in await refused(client, "lint_prompt", one_line=False, text=many, duration=7)

        fixed = await call(client, "fix_prompt", text=text)
        core_fix = fix_document(text, DocumentKind.PROMPT, config)
        assert fixed["text"] == core_fix.text and fixed["changed"]
        assert [a["code"] for a in fixed["applied"]] == [d.code for d in core_fix.applied]
        assert [f["code"] for f in fixed["remaining"]] == [d.code for d in core_fix.remaining]

        formatted = await call(client, "format_prompt", text=text)
        assert formatted == {"text": format_document(text, DocumentKind.PROMPT), "changed": True}
        assert (await call(client, "format_prompt", text="A lamb [Push in].")) == {"text": "A lamb [Push in].", "changed": False}

        rule = await call(client, "explain_rule", code="hl102")
        assert rule["explanation"] == BY_CODE["HL102"].explanation and rule["fixable"]
        assert (await call(client, "explain_rule", code="directive-typo"))["code"] == "HL102"
        assert "did you mean HL710?" in await refused(client, "explain_rule", code="HL10")


def _script_with_a_typo(folder: Path) -> Path:
    script = folder / "typo.shot"
    script.write_text("shot opening\n  A mouse runs toward the camera [Push out].\n", encoding="utf-8")
    return script


async def test_compile_gives_the_bodies_or_the_located_findings(tmp_path: Path) -> None:
    harbor = copy_example("harbor.shot", tmp_path)
    broken = tmp_path / "missing.shot"
    broken.write_text(
        "shot opening\n  @first_frame frames/mosue.png\n  A mouse runs toward the camera [Push in].\n", encoding="utf-8"
    )
    typo = _script_with_a_typo(tmp_path)
    async with serve(tmp_path) as client:
        compiled = await call(client, "compile_script", script="harbor.shot")  # relative to the server's folder
        core = compile_script(harbor, config=load_config(tmp_path)[0])
        assert compiled["ok"] and compiled["script"] == str(harbor.resolve())
        assert compiled["shots"] == json.loads(json.dumps([s.to_json() for s in core.shots]))
        one = await call(client, "compile_script", script=str(harbor), shot="lantern-draft")
        assert [s["shot"] for s in one["shots"]] == ["lantern-draft"]
        assert "lantern" in await refused(client, "compile_script", script=str(harbor), shot="lanter")

        missing = await call(client, "compile_script", script=str(broken))
        assert not missing["ok"] and missing["shots"] == []
        finding = next(f for f in missing["findings"] if f["code"] == "HL607")
        assert (finding["file"], finding["span"]["line"], finding["severity"]) == (str(broken.resolve()), 2, "error")

        gated = await call(client, "compile_script", script=str(typo))  # the prompt is linted too
        assert not gated["ok"]
        assert [(f["code"], f["span"]["line"]) for f in gated["findings"]] == [("HL102", 2)]

        assert "no such file" in await refused(client, "compile_script", script=str(tmp_path / "nothing.shot"))


def _journal_records(script: Path, endpoint: str = EMULATOR_ENDPOINT) -> list[object]:
    with Journal(find_journal(script, endpoint), create=False) as journal:
        return list(journal.records())


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_a_background_render_on_the_emulator_runs_while_other_calls_are_answered(tmp_path: Path) -> None:
    script = copy_example("city-night.shot", tmp_path)
    async with serve(tmp_path) as client:
        assert "nothing rendered yet" in await refused(client, "assemble_film", script=str(script), emulator=True)
        assert (await call(client, "plan_render", script=str(script), emulator=True))["totals"]["tasks"] == 3
        started = await call(client, "start_render", script=str(script), emulator=True)
        assert started["started"] and started["shots"] == ["skyline", "alley", "rooftop"]
        assert started["journal"] == str(find_journal(script, EMULATOR_ENDPOINT))

        # The start answered at once: the render is still going while the server answers others.
        during = await call(client, "render_status", script=str(script), emulator=True)
        assert during["run"]["state"] == "running"
        assert (await call(client, "lint_prompt", text="A lamb [Push in]."))["clean"]
        assert (await call(client, "compile_script", script=str(script)))["ok"]
        assert "rendering it already" in await refused(client, "start_render", script=str(script), emulator=True)

        status = during
        while status["run"]["state"] == "running":
            await anyio.sleep(0.1)
            status = await call(client, "render_status", script=str(script), emulator=True)
        assert status["run"]["state"] == "finished", status["run"]["error"]
        assert status["run"]["summary"]["ok"]
        by_shot = {s["shot"]: s for s in status["shots"]}
        assert set(by_shot) == {"skyline", "alley", "rooftop"}
        for shot in by_shot.values():
            assert shot["state"] == "downloaded" and Path(shot["output"]).is_file()

        assert (await call(client, "plan_render", script=str(script), emulator=True))["totals"]["tasks"] == 0
        film = await call(client, "assemble_film", script=str(script), emulator=True)
        assert film["shots"] == ["skyline", "alley", "rooftop"]
        assert Path(film["film"]) == tmp_path / "renders" / "city-night.emulator.mp4"
        assert Path(film["film"]).is_file() and Path(film["timeline"]).is_file()
        assert film["duration"] == pytest.approx(6 + 10 + 6, abs=0.5)

        # Started again, the render resumes from its journal: nothing is submitted twice.
        again = await call(client, "start_render", script=str(script), emulator=True)
        assert again["started"]
        status = again
        while (status := await call(client, "render_status", script=str(script), emulator=True))["run"]["state"] == "running":
            await anyio.sleep(0.1)
        assert status["run"]["state"] == "finished"
        assert {s["shot"]: (s["task_id"], s["attempts"]) for s in status["shots"]} == {
            name: (shot["task_id"], 1) for name, shot in by_shot.items()
        }


@pytest.mark.timeout(120)
async def test_a_script_with_errors_starts_nothing(tmp_path: Path) -> None:
    script = _script_with_a_typo(tmp_path)
    async with serve(tmp_path) as client:
        answer = await call(client, "start_render", script=str(script), emulator=True)
        assert not answer["started"] and "nothing was uploaded or submitted" in answer["message"]
        assert [f["code"] for f in answer["findings"]] == ["HL102"]
        status = await call(client, "render_status", script=str(script), emulator=True)
        assert status == {"script": str(script.resolve()), "journal": None, "shots": [], "run": None}
    assert not (tmp_path / ".hailuo").exists() and not (tmp_path / "renders").exists()


def _real(emulator: Emulator) -> dict[str, str]:
    """The environment of a server whose "real" API is an emulator on loopback: nothing can leave the machine."""
    return {"HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": emulator.api_key}


@pytest.mark.timeout(120)
async def test_an_unconfirmed_real_render_is_refused_with_nothing_sent(tmp_path: Path, emulator: Emulator) -> None:
    script = copy_example("city-night.shot", tmp_path)
    async with serve(tmp_path, _real(emulator)) as client:
        plan = await call(client, "plan_render", script=str(script))
        assert plan == json.loads(json.dumps(plan_render(script, base_url=emulator.url).as_json()))
        assert plan["totals"]["tasks"] == 3 and [t["shot"] for t in plan["tasks"]] == ["skyline", "alley", "rooftop"]
        for confirm in (None, 2, 4):
            arguments = {} if confirm is None else {"confirm_tasks": confirm}
            message = await refused(client, "start_render", script=str(script), **arguments)
            assert "confirm_tasks=3" in message and "nothing was uploaded or submitted" in message
        status = await call(client, "render_status", script=str(script))
        assert status["journal"] is None and status["run"] is None
    assert sum(emulator.stats.requests.values()) == 0 and not emulator.tasks
    assert not (tmp_path / ".hailuo").exists() and not (tmp_path / "renders").exists()


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_a_confirmed_real_render_submits_what_the_plan_said(tmp_path: Path, emulator: Emulator) -> None:
    script = copy_example("city-night.shot", tmp_path)
    async with serve(tmp_path, _real(emulator)) as client:
        count = (await call(client, "plan_render", script=str(script)))["totals"]["tasks"]
        started = await call(client, "start_render", script=str(script), confirm_tasks=count)
        assert started["started"] and not started["emulator"]
        while (status := await call(client, "render_status", script=str(script)))["run"]["state"] == "running":
            await anyio.sleep(0.2)
        assert status["run"]["state"] == "finished", status["run"]["error"]
        assert all(s["state"] == "downloaded" for s in status["shots"])
        assert (await call(client, "plan_render", script=str(script)))["totals"]["tasks"] == 0
    assert emulator.stats.submits_accepted == count == 3


@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_a_render_stopped_by_a_closing_client_is_resumed_without_paying_twice(tmp_path: Path) -> None:
    script = copy_example("city-night.shot", tmp_path)
    async with serve(tmp_path) as client:
        assert (await call(client, "start_render", script=str(script), emulator=True))["started"]
        while not any(s["task_id"] for s in (await call(client, "render_status", script=str(script), emulator=True))["shots"]):
            await anyio.sleep(0.02)
    # The client closed the server's input mid-render: the run was stopped, what it sent recorded.
    states = {r.name: r.state for r in _journal_records(script)}  # type: ignore[attr-defined]
    assert len(states) == 3
    assert ShotState.SUBMITTING not in states.values() and ShotState.UNKNOWN not in states.values()
    submitted = {r.name: r.task_id for r in _journal_records(script) if r.task_id is not None}  # type: ignore[attr-defined]
    async with serve(tmp_path) as client:
        assert (await call(client, "start_render", script=str(script), emulator=True))["started"]
        while (status := await call(client, "render_status", script=str(script), emulator=True))["run"]["state"] == "running":
            await anyio.sleep(0.1)
        assert status["run"]["state"] == "finished", status["run"]["error"]
        # Each shot is followed under the task it had, never submitted again. (The emulator of the
        # first server went with it, so the new one knows none of them: as with `hailuo render
        # --emulator`, the shots wait for a person to decide; the real API keeps its tasks.)
        assert submitted
        for shot in status["shots"]:
            assert shot["attempts"] == 1, shot
            assert shot["task_id"] == submitted.get(shot["shot"], shot["task_id"]), shot


@pytest.mark.parametrize("missing", ["mcp", "mcp.server.mcpserver"])  # not installed; the 1.x line
def test_without_the_sdk_hailuo_mcp_says_how_to_install_it(missing: str) -> None:
    code = f"import sys; sys.modules[{missing!r}] = None; sys.argv = ['hailuo', 'mcp']; from hailuo_dsl.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "hailuo: error: hailuo mcp needs the MCP SDK (mcp 2.3 or later): pip install 'hailuo-dsl[mcp]'\n"
