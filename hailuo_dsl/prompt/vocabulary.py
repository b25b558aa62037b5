"""The words the classifier knows besides the directives: mistakes seen in public prompts, film
vocabulary with the directive that says the same to Hailuo-02, and the adverbs and filler that
people wrap around a directive, in English and in Chinese.

Film terms map to the options to offer: one option is a fix; several are a choice (no fix),
unless the term is in ``RECIPES``, whose first option is a likely reading offered as an unsafe fix.
"""

from __future__ import annotations

# Misspellings seen in public prompts and in the official documentation itself.
KNOWN_TYPOS: dict[str, str] = {
    "push out": "Pull out",
    "pull in": "Push in",
    "tilt left": "Pan left",
    "tilt right": "Pan right",
    "truck up": "Pedestal up",
    "truck down": "Pedestal down",
    "static shoot": "Static shot",
    "tracking shoot": "Tracking shot",
    "track shot": "Tracking shot",
    "shaking": "Shake",
    "shake shot": "Shake",
    "pedestral up": "Pedestal up",
    "pedestral down": "Pedestal down",
    "peddle up": "Pedestal up",
    "peddle down": "Pedestal down",
}

_ORBITS = ("Truck left, Pan right", "Truck right, Pan left")

FILM_TERMS: dict[str, tuple[str, ...]] = {
    "dolly in": ("Push in",),
    "dolly forward": ("Push in",),
    "dolly out": ("Pull out",),
    "dolly back": ("Pull out",),
    "dolly backward": ("Pull out",),
    "dolly left": ("Truck left",),
    "dolly right": ("Truck right",),
    "dolly zoom": ("Push in, Zoom out",),
    "vertigo effect": ("Push in, Zoom out",),
    "track in": ("Push in",),
    "track out": ("Pull out",),
    "track left": ("Truck left",),
    "track right": ("Truck right",),
    "truck in": ("Push in",),
    "truck out": ("Pull out",),
    "push forward": ("Push in",),
    "push back": ("Pull out",),
    "pull back": ("Pull out",),
    "pull away": ("Pull out",),
    "move in": ("Push in",),
    "move out": ("Pull out",),
    "move left": ("Truck left",),
    "move right": ("Truck right",),
    "crane up": ("Pedestal up",),
    "crane down": ("Pedestal down",),
    "boom up": ("Pedestal up",),
    "boom down": ("Pedestal down",),
    "jib up": ("Pedestal up",),
    "jib down": ("Pedestal down",),
    "rise up": ("Pedestal up",),
    "pan up": ("Tilt up",),
    "pan down": ("Tilt down",),
    "crash zoom": ("Zoom in",),
    "snap zoom": ("Zoom in",),
    "follow shot": ("Tracking shot",),
    "following shot": ("Tracking shot",),
    "follow cam": ("Tracking shot",),
    "steadicam": ("Tracking shot",),
    "handheld": ("Shake",),
    "hand held": ("Shake",),
    "handheld shot": ("Shake",),
    "shaky cam": ("Shake",),
    "camera shake": ("Shake",),
    "still": ("Static shot",),
    "still shot": ("Static shot",),
    "locked off": ("Static shot",),
    "locked shot": ("Static shot",),
    "fixed shot": ("Static shot",),
    "static camera": ("Static shot",),
    "whip pan": ("Pan left", "Pan right"),
    "swish pan": ("Pan left", "Pan right"),
    "orbit": _ORBITS,
    "orbit shot": _ORBITS,
    "orbit left": _ORBITS[:1],
    "orbit right": _ORBITS[1:],
    "arc": _ORBITS,
    "arc shot": _ORBITS,
    "arc left": _ORBITS[:1],
    "arc right": _ORBITS[1:],
    "360 shot": _ORBITS,
    "crane shot": ("Pedestal up", "Pedestal down"),
    "crane": ("Pedestal up", "Pedestal down"),
    "jib": ("Pedestal up", "Pedestal down"),
    "boom": ("Pedestal up", "Pedestal down"),
    "dolly": ("Push in", "Pull out"),
    "dolly shot": ("Push in", "Pull out"),
    "dutch angle": (),
    "roll": (),
    "aerial shot": (),
    "drone shot": (),
}

RECIPES: frozenset[str] = frozenset({"orbit", "orbit shot", "arc", "arc shot", "360 shot", "环绕", "环绕镜头", "环拍", "围绕"})
"""Film terms whose first option is the usual way to write them (an orbit to the left), offered as
an unsafe fix: the direction is a guess."""

# What a move of film vocabulary is, in the directives' terms: the hint in the message.
_ORBIT_HINT = "an orbit circles the subject, trucking one way while panning the other"
_DOLLY_ZOOM_HINT = "a dolly zoom is a push in while zooming out"
HINTS: dict[str, str] = {
    **dict.fromkeys(("orbit", "orbit shot", "orbit left", "orbit right", "360 shot"), _ORBIT_HINT),
    **dict.fromkeys(("arc", "arc shot", "arc left", "arc right"), _ORBIT_HINT),
    **dict.fromkeys(("dolly zoom", "vertigo effect"), _DOLLY_ZOOM_HINT),
    **dict.fromkeys(
        ("crane", "crane shot", "crane up", "crane down", "boom", "boom up", "boom down", "jib", "jib up", "jib down"),
        "a crane or jib is a pedestal move",
    ),
    **dict.fromkeys(("dolly", "dolly shot"), "a dolly moving in is a push, moving out a pull"),
    **dict.fromkeys(("dolly in", "dolly forward", "track in", "truck in"), "a dolly moving in is a push"),
    **dict.fromkeys(("dolly out", "dolly back", "dolly backward", "track out", "truck out"), "a dolly moving out is a pull"),
    **dict.fromkeys(("dolly left", "dolly right", "track left", "track right"), "a dolly moving sideways is a truck"),
    **dict.fromkeys(("pan up", "pan down"), "a pan turns sideways; up and down is a tilt"),
    **dict.fromkeys(("环绕", "环绕镜头", "环拍", "围绕"), _ORBIT_HINT),
    **dict.fromkeys(("希区柯克变焦", "滑动变焦", "眩晕效果"), _DOLLY_ZOOM_HINT),
}

# Words around a directive that say how it moves; the fix moves them into the prose.
ADVERBS: frozenset[str] = frozenset(
    """slow slowly slight slightly quick quickly fast rapid rapidly gentle gently smooth smoothly
    sudden suddenly subtle subtly gradual gradually steady steadily dramatic dramatically soft
    softly very extreme extremely continuous continuously constant constantly small big large
    long short brief briefly swift swiftly sharp sharply""".split()
)

# Each adverb as it reads after a directive: "[Push in] slowly", "[Pull out] a long way".
ADVERB_FORMS: dict[str, str] = {
    "slow": "slowly",
    "slight": "slightly",
    "quick": "quickly",
    "rapid": "rapidly",
    "gentle": "gently",
    "smooth": "smoothly",
    "sudden": "suddenly",
    "subtle": "subtly",
    "gradual": "gradually",
    "steady": "steadily",
    "dramatic": "dramatically",
    "soft": "softly",
    "extreme": "extremely",
    "continuous": "continuously",
    "constant": "constantly",
    "brief": "briefly",
    "swift": "swiftly",
    "sharp": "sharply",
    "small": "slightly",
    "short": "briefly",
    "big": "a long way",
    "large": "a long way",
    "long": "a long way",
}
INTENSIFIERS: frozenset[str] = frozenset({"very", "extremely"})

# Words that a directive already says ("[lateral truck right]" is a truck, which is lateral) and
# the filler of a paraphrase ("pan to the left"): dropped to find the directive inside.
REDUNDANT: frozenset[str] = frozenset(
    "a camera lateral laterally sideways horizontal horizontally vertical vertically move movement motion shot".split()
)
FILLER: frozenset[str] = frozenset({"to", "the", "toward", "towards"})
DIRECTIONS: dict[str, str] = {
    "left": "left",
    "right": "right",
    "up": "up",
    "down": "down",
    "in": "in",
    "out": "out",
    "leftward": "left",
    "leftwards": "left",
    "rightward": "right",
    "rightwards": "right",
    "upward": "up",
    "upwards": "up",
    "downward": "down",
    "downwards": "down",
    "inward": "in",
    "inwards": "in",
    "outward": "out",
    "outwards": "out",
}

# --- Chinese ---------------------------------------------------------------------------------

# Near misses of the official Chinese names: other words for the same move, and the traditional
# characters. Looked up after the variants below are folded (spaces, "镜头", "向").
CHINESE_TYPOS: dict[str, str] = {
    "推镜": "推进",
    "推近": "推进",
    "推入": "推进",
    "前推": "推进",
    "向前推": "推进",
    "向前推进": "推进",
    "拉镜": "拉远",
    "拉出": "拉远",
    "后拉": "拉远",
    "向后拉": "拉远",
    "拉远镜": "拉远",
    "左移动": "左移",
    "左平移": "左移",
    "左横移": "左移",
    "右移动": "右移",
    "右平移": "右移",
    "右横移": "右移",
    "左摇镜": "左摇",
    "右摇镜": "右摇",
    "上摇镜": "上摇",
    "下摇镜": "下摇",
    "升镜": "上升",
    "升高": "上升",
    "降镜": "下降",
    "降低": "下降",
    "变焦推进": "变焦推近",
    "变焦拉近": "变焦推近",
    "推近变焦": "变焦推近",
    "变焦放大": "变焦推近",
    "变焦拉出": "变焦拉远",
    "拉远变焦": "变焦拉远",
    "变焦缩小": "变焦拉远",
    "摇晃": "晃动",
    "抖动": "晃动",
    "震动": "晃动",
    "跟随拍摄": "跟随",
    "跟镜": "跟随",
    "固定机位": "固定",
    "定镜": "固定",
}

# Simplified forms of the traditional (and Japanese) characters people type in these names.
TRADITIONAL: dict[str, str] = {
    "搖": "摇",
    "進": "进",
    "遠": "远",
    "變": "变",
    "動": "动",
    "隨": "随",
    "鏡": "镜",
    "頭": "头",
    "昇": "升",
    "攝": "摄",
}

# Film vocabulary in Chinese, as the English table above.
CHINESE_FILM_TERMS: dict[str, tuple[str, ...]] = {
    "跟拍": ("跟随",),
    "手持": ("晃动",),
    "摇臂上升": ("上升",),
    "摇臂下降": ("下降",),
    "升降": ("上升", "下降"),
    "环绕": ("左移,右摇", "右移,左摇"),
    "环拍": ("左移,右摇", "右移,左摇"),
    "围绕": ("左移,右摇", "右移,左摇"),
    "希区柯克变焦": ("推进,变焦拉远",),
    "滑动变焦": ("推进,变焦拉远",),
    "眩晕效果": ("推进,变焦拉远",),
    "甩镜": ("左摇", "右摇"),
    "快摇": ("左摇", "右摇"),
    "平移": ("左移", "右移"),
    "拉近": ("推进", "变焦推近"),
    "放大": ("变焦推近",),
    "缩小": ("变焦拉远",),
    "静止": ("固定",),
    "航拍": (),
}

# The start of a name, or its verb alone: "[推]", "[摇]", "[变焦]".
CHINESE_TRUNCATED: dict[str, tuple[str, ...]] = {
    "推": ("推进",),
    "拉": ("拉远",),
    "摇": ("左摇", "右摇", "上摇", "下摇"),
    "移": ("左移", "右移"),
    "升": ("上升",),
    "降": ("下降",),
    "变焦": ("变焦推近", "变焦拉远"),
    "晃": ("晃动",),
    "跟": ("跟随",),
}

# Adverbs written before a move ("缓慢推进"), longest first so "缓缓" wins over "缓".
CHINESE_ADVERBS: tuple[str, ...] = tuple(
    sorted(
        """缓慢 缓缓 慢慢 慢速 快速 迅速 急速 轻微 轻轻 微微 稍微 略微 平稳 平滑 匀速 逐渐 渐渐 逐步 突然 猛然 稳定
        持续 大幅 小幅 缓 慢 快""".split(),
        key=len,
        reverse=True,
    )
)

# The sequence words inside a bracket: "[推进,然后拉远]". 然后 is the documented one.
CHINESE_THEN: tuple[str, ...] = ("然后", "接着", "随后", "之后")
