"""Realistic prompts, valid and invalid, with the exact codes the linter must report; and every
example prompt of the API contract (docs/api-contract.md §2 example bodies and §6), copied verbatim."""

from __future__ import annotations

import json

import pytest

from hailuo_dsl import Severity, fix, format_prompt, lint
from hailuo_dsl.prompt.directives import DIRECTIVES

FOUR_MOVES = "Waves crash on black sand [Push in] a seagull lands [Pan left] the tide goes out [Tilt up] the sun sets [Zoom out]."

# (prompt, expected codes in order of position). Drawn from the directive table and placements of
# the API contract (docs/api-contract.md §6) and the mistakes listed in the design notes.
REALISTIC: list[tuple[str, list[str]]] = [
    # Valid: directives at the start, at the point of action, at the end; both comma styles.
    (
        "A lone astronaut walks across a red desert at golden hour [Tracking shot], dust swirling around her boots, "
        "then she stops and looks up at two moons [Tilt up].",
        [],
    ),
    ("[Push in] A lamb stands on a misty hillside at dawn, its wool glowing in the low sun.", []),
    ("Close-up of a barista pouring latte art in a busy café [Static shot]. Steam rises from the cup.", []),
    ("A cyberpunk alley in the rain, neon signs reflecting in puddles [Pan left, Pedestal up], a drone flies overhead.", []),
    ("An old fisherman mends his net on the pier [Truck right], gulls wheel above the harbour [Zoom out].", []),
    ("A hallway in an abandoned hotel stretches as the walls close in [Push in, Zoom out].", []),
    ("Concert crowd jumping under strobe lights [Shake], confetti falls [Pull out,Zoom in].", []),
    ("Snow falls on a quiet mountain village at night, 雪が静かに降る [Pedestal down] 🎿", []),
    ("雨の東京の夜、ネオンが光る [Push in]，人々が傘をさして歩く [Pan right]。", []),
    ("A young girl gradually grows into an adult woman [Pan left, Pedestal up].", []),
    ("A red kite climbs into a blue sky [Tilt up, Truck left, Zoom out], children cheering below.", []),
    ("“Welcome home,” she whispers as the door swings open [Push in].", []),
    # Directive names.
    ("The camera [Push out] as the crowd cheers [pan left].", ["HL102", "HL101"]),
    ("A man picks up a book [pedestal up], then reads [Static].", ["HL101", "HL103"]),
    ("A golden retriever runs through a field of sunflowers [Follow].", ["HL104"]),
    ("A skateboarder drops into the bowl [Dolly in], then carves along the wall [Whip pan].", ["HL105", "HL105"]),
    ("A hiker reaches the summit at sunrise [Slow push in], clouds rolling below.", ["HL106"]),
    ("An eagle soars over the canyon [Pan up].", ["HL105"]),
    ("A city skyline at dusk [Zoom In], lights turning on one by one.", ["HL101"]),
    ("A paper boat floats down a flooded gutter [Crane up].", ["HL105"]),
    ("A detective lights a cigarette under a street lamp [Dutch angle].", ["HL105"]),
    ("A busy fish market at dawn [bustling crowd], vendors shouting prices.", ["HL107"]),
    ("A marble statue in a quiet museum hall [Orbit].", ["HL105"]),
    ("A lantern festival on the river at night [Tilt Left].", ["HL102"]),
    ("A butterfly lands on a flower 🦋 [Zoom in], then flies away [pull out]", ["HL101"]),
    ("A racing car leaves the pit lane [Tracking], engine roaring.", ["HL103"]),
    # Simultaneous moves.
    ("A dancer spins in an empty studio [Pan left, Pan right].", ["HL203"]),
    ("A chef flambés a pan of shrimp [Static shot, Zoom in].", ["HL204"]),
    ("A spaceship docks with the station [Truck left, Pedestal up, Zoom in, Shake].", ["HL201"]),
    ("A fox trots through the snowy forest [Tracking shot, Tracking shot].", ["HL202"]),
    # Sequences.
    ("A candle flickers in a dark room [Static shot, then Zoom out].", ["HL301"]),
    ("A train pulls into the station [Push in][Pan right].", ["HL302"]),
    (FOUR_MOVES, ["HL303"]),
    # Brackets that are not camera moves.
    ("[SUBJECT_DESCRIPTION] walks through a neon market at night [CAMERA_COMMAND].", ["HL401", "HL401"]),
    ("A girl opens a gift box about {topic} and smiles [Push in].", ["HL401"]),
    ("[Shot 1] A surfer paddles out at dawn [Tracking shot].", ["HL402"]),
    # Broken brackets.
    ("A kitten plays with a ball of yarn [ ]", ["HL004"]),
    ("Two knights clash swords in the courtyard [Shake,].", ["HL005"]),
    ("A lighthouse beam sweeps across the dark sea [Pan right", ["HL001"]),
    ("A waterfall in the jungle Pedestal up].", ["HL002"]),
    ("A bicycle courier weaves through traffic [Tracking shot [Shake]].", ["HL003"]),
    # The prompt as a whole.
    ("A koi pond in a Japanese garden [Tilt down]\n# TODO: add rain", ["HL503"]),
    ("A harbour at noon, the camera pans left across the fishing boats.", ["HL504"]),
    ("A robot waves hello in a sunny lab; the camera stays still.", ["HL504"]),
    ("   ", ["HL502"]),
    ("A tall ship under sail. " * 84, ["HL501"]),
    # Valid, in Chinese, mixed, and with camera words in the prose only: nothing to report.
    (
        "一位宇航员独自走过金色时刻的红色沙漠[跟随]，尘土在她的靴子周围旋转，然后她停下来仰望两个月亮[上摇]。",
        [],
    ),
    ("[推进]清晨，一只小羊站在雾气弥漫的山坡上，羊毛在低低的阳光中闪闪发光。", []),
    ("雨夜的赛博朋克小巷，霓虹灯倒映在水洼中[左摇,上升]，一架无人机从头顶飞过。", []),
    ("【主体】一位老渔夫在码头补网【场景】海鸥在港口上空盘旋[右移]，然后镜头缓缓拉开[变焦拉远]。", []),
    ("一只白猫蜷缩在窗台上晒太阳，镜头缓缓推进，光线柔和，电影感。", []),
    ("一个小女孩在海边放风筝[固定]，风筝越飞越高[上摇]，然后她笑着跑向镜头[拉远]。", []),
    ("一位厨师在厨房里翻炒[晃动]，火焰冲天，然后他把菜装盘[固定]。", []),
    ("Tokyo at night, 霓虹灯闪烁 [Pan left, 上升], crowds crossing Shibuya.", []),
    ("A street food vendor in Bangkok flips noodles in a wok, flames leaping [Truck left, Pan right], steam rising.", []),
    ("A dancer in a red dress twirls through an empty ballroom, then slowly stops and bows [Static shot].", []),
    ("Drone footage over a misty pine forest at sunrise, the camera glides forward [Push in], birds scatter.", []),
    ("A girl in a yellow raincoat jumps into a puddle [Shake], then laughs as her friend joins her [Pull out, Zoom in].", []),
    ("Close-up of an old man's hands carving wood [Static shot]; sawdust drifts in a beam of light [Tilt down].", []),
    # Mistakes of typing Chinese, and invented moves built around a real one.
    ("一只狐狸在雪地里奔跑【跟随】，然后停下来回头看【固定】。", ["HL006", "HL006"]),
    ("女孩站在樱花树下[缓慢推进]，花瓣随风飘落。", ["HL106"]),
    ("城市天际线在黄昏时分亮起灯光[左摇，上升]，车流穿梭。", ["HL007"]),
    ("一辆红色跑车在山路上飞驰[跟拍]，然后驶入隧道[推镜]。", ["HL105", "HL102"]),
    ("门缓缓打开[推进,然后拉远]，阳光涌入房间。", ["HL301"]),
    ("钟摆在古老的钟楼里摆动[左摇,右摇]。", ["HL203"]),
    ("A woman walks along the shore at sunset [slow pull back], waves washing over her feet.", ["HL105"]),
    ("A wolf howls on a cliff under a full moon [Orbit].", ["HL105"]),
    ("An astronaut floats in the space station [gentle pan to the left], Earth glowing through the window.", ["HL105"]),
    ("A spotlight hits the stage as the singer begins [Dolly zoom].", ["HL105"]),
    ("A cat slinks down the alley [lateral truck right], rain dripping from the gutters.", ["HL105"]),
]


@pytest.mark.parametrize(("prompt", "codes"), REALISTIC, ids=[f"realistic{i}" for i in range(len(REALISTIC))])
def test_realistic_prompt(prompt: str, codes: list[str]) -> None:
    assert [d.code for d in lint(prompt)] == codes


def test_enough_realistic_prompts() -> None:
    assert len(REALISTIC) >= 30
    assert sum(1 for _p, codes in REALISTIC if not codes) >= 10
    assert sum(1 for _p, codes in REALISTIC if codes) >= 20


def test_the_move_budget_follows_the_duration() -> None:
    assert [d.code for d in lint(FOUR_MOVES, duration=6)] == ["HL303"]
    assert lint(FOUR_MOVES, duration=10) == []


def test_a_first_frame_makes_the_prompt_optional() -> None:
    assert lint("", require_text=False) == []
    assert [d.code for d in lint("")] == ["HL502"]


@pytest.mark.parametrize(("prompt", "codes"), REALISTIC, ids=[f"realistic{i}" for i in range(len(REALISTIC))])
def test_fixing_and_formatting_a_realistic_prompt(prompt: str, codes: list[str]) -> None:
    fixed = fix(prompt)
    assert fix(fixed) == fixed
    assert format_prompt(format_prompt(prompt)) == format_prompt(prompt)
    if not codes:
        assert fixed == prompt
        assert lint(format_prompt(prompt)) == []  # spacing may change ("," to ", "), nothing else


FIXES = [
    ("The camera [Push out] as the crowd cheers [pan left].", "The camera [Pull out] as the crowd cheers [Pan left]."),
    (
        "A man picks up a book [pedestal up], then reads [Static].",
        "A man picks up a book [Pedestal up], then reads [Static shot].",
    ),
    (
        "A golden retriever runs through a field of sunflowers [Follow].",
        "A golden retriever runs through a field of sunflowers [Tracking shot].",
    ),
    ("An eagle soars over the canyon [Pan up].", "An eagle soars over the canyon [Tilt up]."),
    (
        "A hiker reaches the summit at sunrise [Slow push in], clouds rolling below.",
        "A hiker reaches the summit at sunrise [Push in] slowly, clouds rolling below.",
    ),
    (
        "A candle flickers in a dark room [Static shot, then Zoom out].",
        "A candle flickers in a dark room [Static shot], then [Zoom out].",
    ),
    (
        "A fox trots through the snowy forest [Tracking shot, Tracking shot].",
        "A fox trots through the snowy forest [Tracking shot].",
    ),
    ("A lighthouse beam sweeps across the dark sea [Pan right", "A lighthouse beam sweeps across the dark sea [Pan right]"),
    ("A kitten plays with a ball of yarn [ ]", "A kitten plays with a ball of yarn"),
    (
        "A butterfly lands on a flower 🦋 [Zoom in], then flies away [pull out]",
        "A butterfly lands on a flower 🦋 [Zoom in], then flies away [Pull out]",
    ),
    ("一只狐狸在雪地里奔跑【跟随】，然后停下来回头看【固定】。", "一只狐狸在雪地里奔跑[跟随]，然后停下来回头看[固定]。"),
    ("女孩站在樱花树下[缓慢推进]，花瓣随风飘落。", "女孩站在樱花树下缓慢[推进]，花瓣随风飘落。"),
    ("城市天际线在黄昏时分亮起灯光[左摇，上升]，车流穿梭。", "城市天际线在黄昏时分亮起灯光[左摇,上升]，车流穿梭。"),
    ("一辆红色跑车在山路上飞驰[跟拍]，然后驶入隧道[推镜]。", "一辆红色跑车在山路上飞驰[跟随]，然后驶入隧道[推进]。"),
    ("门缓缓打开[推进,然后拉远]，阳光涌入房间。", "门缓缓打开[推进]，然后[拉远]，阳光涌入房间。"),
    (
        "A woman walks along the shore at sunset [slow pull back], waves washing over her feet.",
        "A woman walks along the shore at sunset [Pull out] slowly, waves washing over her feet.",
    ),
    (
        "An astronaut floats in the space station [gentle pan to the left], Earth glowing through the window.",
        "An astronaut floats in the space station [Pan left] gently, Earth glowing through the window.",
    ),
    (
        "A spotlight hits the stage as the singer begins [Dolly zoom].",
        "A spotlight hits the stage as the singer begins [Push in, Zoom out].",
    ),
    (
        "A cat slinks down the alley [lateral truck right], rain dripping from the gutters.",
        "A cat slinks down the alley [Truck right], rain dripping from the gutters.",
    ),
]


@pytest.mark.parametrize(("prompt", "fixed"), FIXES)
def test_realistic_fix(prompt: str, fixed: str) -> None:
    assert fix(prompt) == fixed
    assert not [d for d in lint(fixed) if d.severity is not Severity.INFO]


# The example request bodies of the API contract (docs/api-contract.md §2), verbatim.
CONTRACT_BODIES = """\
{"model": "MiniMax-Hailuo-02", "prompt": "City night scene, neon lights flickering, traffic flowing", "duration": 6, "resolution": "1080P"}
{"model": "MiniMax-Hailuo-02", "prompt": "A mouse runs toward the camera, smiling and blinking", "image_urls": ["https://example.com/first-frame.jpg"], "duration": 6, "resolution": "768P"}
{"model": "MiniMax-Hailuo-02", "prompt": "A young girl gradually grows into an adult woman", "image_urls": ["https://example.com/first.jpg"], "duration": 6, "resolution": "768P", "metadata": {"last_frame_image": "https://example.com/last.jpg"}}
{"model": "MiniMax-Hailuo-02", "prompt": "A man picks up a book [Pedestal up], then reads [Static shot].", "duration": 6}
{"model": "MiniMax-Hailuo-02", "prompt": "Waves hitting the beach at sunset", "duration": 10, "resolution": "768P", "metadata": {"prompt_optimizer": true, "fast_pretreatment": true}}
"""

# The directives and the prompts of section 6 of the contract, verbatim.
CONTRACT_DIRECTIVES = """\
[Truck left] [Truck right] [Pan left] [Pan right] [Push in] [Pull out] [Pedestal up] [Pedestal down]
[Tilt up] [Tilt down] [Zoom in] [Zoom out] [Shake] [Tracking shot] [Static shot]""".split("] [")
CONTRACT_PROMPTS = [
    "[Pan left, Pedestal up]",
    "...[Push in], then...[Pull out]",
    "[Push in] A lamb stands...",
    "A man picks up a book [Pedestal up], then reads [Static shot].",
    "[Push in, Zoom out]",
    "[Pull out, Zoom in]",
    "[左摇,上升]",
    "...[推进]，然后...[拉远]",
]
# The Chinese table of section 6, verbatim (English | Chinese | English | Chinese).
CONTRACT_CHINESE = """\
| Truck left | 左移 | Truck right | 右移 |
| Pan left | 左摇 | Pan right | 右摇 |
| Push in | 推进 | Pull out | 拉远 |
| Pedestal up | 上升 | Pedestal down | 下降 |
| Tilt up | 上摇 | Tilt down | 下摇 |
| Zoom in | 变焦推近 | Zoom out | 变焦拉远 |
| Shake | 晃动 | Tracking shot | 跟随 |
| Static shot | 固定 | | |"""
# The prompts of the design notes' .shot sketch, as the script joins them.
DESIGN_PROMPTS = [
    "A mouse runs toward the camera, smiling and blinking [Push in],\nthen stops and looks up at the sky [Static shot].",
    "A young girl gradually grows into an adult woman [Pan left, Pedestal up].",
]


def _directive_prompts() -> list[str]:
    names = [n.strip().strip("[]") for line in CONTRACT_DIRECTIVES for n in line.split("\n")]
    return [f"[{name}]" for name in names]


def test_the_contract_lists_fifteen_directives() -> None:
    assert len(_directive_prompts()) == 15


@pytest.mark.parametrize("body", CONTRACT_BODIES.splitlines())
def test_contract_example_bodies_lint_clean(body: str) -> None:
    request = json.loads(body)
    assert lint(request["prompt"], duration=request["duration"], require_text="image_urls" not in request) == []


@pytest.mark.parametrize("prompt", _directive_prompts() + CONTRACT_PROMPTS + DESIGN_PROMPTS)
def test_contract_prompts_lint_clean(prompt: str) -> None:
    assert lint(prompt) == []
    assert fix(prompt) == prompt
    assert format_prompt(prompt) == prompt


def test_contract_typo_push_out_is_flagged_and_fixed() -> None:
    prompt = "[Push out]"
    found = lint(prompt)
    assert [(d.code, d.start, d.end, d.severity) for d in found] == [("HL102", 1, 9, Severity.ERROR)]
    assert "[Pull out]" in found[0].message
    assert fix(prompt) == "[Pull out]"


def test_contract_typo_tilt_left_is_flagged() -> None:
    # The contract's other documented mistake: tilt is only up or down.
    assert [d.code for d in lint("[Tilt Left]")] == ["HL102"]


def test_contract_contradiction_example_is_flagged() -> None:
    assert [d.code for d in lint("[Pan left, Pan right]")] == ["HL203"]


def test_the_chinese_names_are_the_contracts() -> None:
    pairs = {}
    for row in CONTRACT_CHINESE.splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        pairs.update({e: c for e, c in zip(cells[::2], cells[1::2], strict=True) if e})
    assert {d.name: d.chinese for d in DIRECTIVES} == pairs
    for english, chinese in pairs.items():
        assert lint(f"[{chinese}]") == [] and format_prompt(f"[{chinese}]") == f"[{chinese}]"
        # the twins are one directive: together they are a repeat, not two moves
        assert [d.code for d in lint(f"[{english}, {chinese}]")] == ["HL202"]
