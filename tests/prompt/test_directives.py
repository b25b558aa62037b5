"""The directive table: both names of each directive, and the look-ups the rules, the formatter and
the editors read (every canonical spelling, the twin in the other language, the join style)."""

from __future__ import annotations

from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.prompt.directives import BY_CHINESE, BY_NAME, DIRECTIVES, NAMES, english, is_chinese, join_items, twin


def test_every_directive_has_two_canonical_names() -> None:
    assert len(DIRECTIVES) == 15 and len(NAMES) == 30 == len(set(NAMES))
    for d in DIRECTIVES:
        assert BY_NAME[d.name] is BY_NAME[d.chinese] is d is BY_CHINESE[d.chinese]
        assert is_chinese(d.chinese) and not is_chinese(d.name)
        assert (twin(d.name), twin(d.chinese)) == (d.chinese, d.name)
        assert english(d.chinese) == english(d.name) == d.name
        assert d.label == f"{d.name} ({d.chinese})"
        for name in d.names:
            assert classify(name).kind is ItemKind.CANONICAL and classify(name).directive == name


def test_join_follows_each_documentation() -> None:
    assert join_items(["左摇", "上升"]) == "左摇,上升"
    assert join_items(["Pan left", "Pedestal up"]) == "Pan left, Pedestal up"
    assert join_items(["Pan left", "上升"]) == "Pan left, 上升"


def test_near_misses_keep_their_language() -> None:
    assert classify("推镜").directive == "推进"
    assert classify("Push out").directive == "Pull out"
    assert classify("缓慢推进").extra == "缓慢" and classify("Slow push in").extra == "Slow"
