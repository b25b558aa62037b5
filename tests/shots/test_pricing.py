"""Prices and render caps: the spec's ``[pricing]`` and ``[render]`` tables (checked by the spec rules,
located), and pyproject.toml's ``[tool.hailuo.pricing]`` / ``[tool.hailuo.render]``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hailuo_dsl.config import load_config
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.pricing import TablesError, parse_rate, project_tables
from hailuo_dsl.shots.spec import parse_spec

GOOD = '[pricing]\ncurrency = "USD"\n768P = { 6 = 0.28, 10 = 0.56 }\n1080P = { 6 = 0.49 }\n[render]\nbudget = 5\nrate = "5/min"\n'


def test_a_spec_gives_prices_per_clip_and_the_render_caps() -> None:
    spec, found = parse_spec(GOOD, "film.toml")
    assert found == [] and spec is not None and spec.pricing is not None and spec.render is not None
    assert spec.pricing.price("768P", 10) == 0.56 and spec.pricing.price("1080P", 6) == 0.49
    assert spec.pricing.price("512P", 6) is None  # not given: unknown, never guessed
    assert spec.render.budget == 5.0 and spec.render.per_minute == 5.0


@pytest.mark.parametrize(
    ("text", "code", "where", "says"),
    [
        (
            '[pricing]\ncurrency = "USD"\n768P = { 6 = 0.28, 8 = 0.5 }\n',
            "HL601",
            (3, 1),
            "768P clips last 6 or 10 seconds, not 8",
        ),
        ('[pricing]\ncurrency = "USD"\n1080P = { 10 = 1 }\n', "HL601", (3, 1), "1080P clips last 6 seconds, not 10"),
        ('[pricing]\ncurrency = "USD"\n720P = { 6 = 0.2 }\n', "HL602", (3, 1), "known keys: currency, 512P, 768P, 1080P"),
        ("[pricing]\n768P = { 6 = 0.28 }\n", "HL601", (1, 1), 'currency = "USD"'),
        ('[pricing]\ncurrency = "USD"\n768P = { 6 = -1 }\n', "HL601", (3, 1), "at least 0"),
        ('[render]\nrate = "fast"\n', "HL601", (2, 1), "write a rate as N/min"),
        ("[render]\nbudget = -2\n", "HL601", (2, 1), "at least 0"),
        ("[render]\nbuget = 2\n", "HL602", (2, 1), "did you mean 'budget'?"),
    ],
)
def test_wrong_prices_and_caps_are_located_spec_errors(text: str, code: str, where: tuple[int, int], says: str) -> None:
    spec, found = parse_spec(text, "film.toml")
    assert spec is None and len(found) == 1
    position = LineIndex(text).position(found[0].start)
    assert (found[0].code, (position.line + 1, position.column + 1)) == (code, where)
    assert says in found[0].message


def test_rates_take_a_unit() -> None:
    assert parse_rate("5/min") == 5.0 and parse_rate("1/s") == 60.0 and parse_rate("120 / hour") == 2.0
    with pytest.raises(ValueError, match="N/min"):
        parse_rate("0/min")


def test_pyproject_tables_are_read_and_located_and_leave_the_lint_table_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.hailuo]\nignore = ["HL504"]\n\n[tool.hailuo.pricing]\ncurrency = "EUR"\n768P = { 6 = 0.3 }\n'
        '\n[tool.hailuo.render]\nrate = "2/min"\n',
        encoding="utf-8",
    )
    tables = project_tables(tmp_path)
    assert tables.pricing is not None and tables.pricing.price("768P", 6) == 0.3 and tables.pricing.currency == "EUR"
    assert tables.render is not None and tables.render.per_minute == 2.0
    config, _ = load_config(tmp_path)
    assert config.ignore == ["HL504"]
    (tmp_path / "pyproject.toml").write_text('[tool.hailuo]\n\n[tool.hailuo.pricing]\ncurrency = "EUR"\n768P = { 7 = 0.3 }\n')
    with pytest.raises(TablesError, match=r"pyproject\.toml:5:1: tool\.hailuo\.pricing\.768P: 768P clips last 6 or 10"):
        project_tables(tmp_path)
