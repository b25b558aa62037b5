"""The public API answers the example from the README."""

from hailuo_dsl import fix, lint


def test_readme_example() -> None:
    prompt = "A man picks up a book [pedestal up], then reads [Static]."
    assert [d.code for d in lint(prompt)] == ["HL101", "HL103"]
    assert fix(prompt) == "A man picks up a book [Pedestal up], then reads [Static shot]."
