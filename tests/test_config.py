"""``LintConfig`` checks plain values directly and leaves tables to the pydantic model: both paths
give the same configuration, and every error still comes from the model, worded as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hailuo_dsl.config import KEYS, ConfigError, LintConfig, _checked, _table_model, find_pyproject, load_config, with_overrides
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules import BY_CODE, BY_NAME

_SELECTORS = st.sampled_from([*BY_CODE, *BY_NAME, "HL", "HL1", "hl10", " HL101 ", "HL9", "XX1", "", "directive-typos", "HL7"])
_SEVERITY_VALUES = st.one_of(st.sampled_from(list(Severity)), st.sampled_from(["error", "warning", "info", "fatal", "ERROR"]))
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "select": st.one_of(
        st.none(), st.lists(_SELECTORS, max_size=3), st.tuples(_SELECTORS), st.just("HL1"), st.lists(st.integers())
    ),
    "ignore": st.one_of(st.none(), st.lists(_SELECTORS, max_size=3), st.frozensets(_SELECTORS, max_size=2)),
    "severity": st.one_of(
        st.dictionaries(_SELECTORS, _SEVERITY_VALUES, max_size=3), st.just([]), st.dictionaries(st.integers(), _SEVERITY_VALUES)
    ),
    "move_budget": st.one_of(
        st.dictionaries(st.sampled_from([6, 10, 8]), st.integers(-1, 9), max_size=2),
        st.dictionaries(st.sampled_from(["6", "10", "x"]), st.one_of(st.integers(0, 9), st.just("3")), max_size=2),
        st.just({6: True}),
    ),
    "duration": st.one_of(st.sampled_from([6, 10, 8, 0]), st.sampled_from(["6", "10", 6.0, True])),
}
_KEY_NAMES = st.sampled_from([*_VALUES, "move-budget", "selct"])


@st.composite
def _tables(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(_KEY_NAMES, max_size=4, unique=True))
    return {key: draw(_VALUES.get(key.replace("-", "_"), _VALUES["select"])) for key in keys}


def _fields(config: Any) -> dict[str, Any]:
    return {name: getattr(config, name) for name in ("select", "ignore", "severity", "move_budget", "duration")}


@given(_tables())
def test_the_direct_checks_agree_with_the_model(values: dict[str, Any]) -> None:
    """Whatever the direct checks take, the model takes and turns into the same values; whatever
    the model refuses, the direct checks leave to it. So ``LintConfig(**values)`` is the model's
    answer, error or configuration, whichever path it took."""
    direct = _checked(values)
    try:
        table = _table_model().model_validate(values)
    except ValidationError as err:
        assert direct is None
        with pytest.raises(ValidationError) as raised:
            LintConfig(**values)
        assert str(raised.value) == str(err)
        return
    config = LintConfig(**values)
    assert _fields(config) == _fields(table) and config.model_fields_set == table.model_fields_set
    assert config == LintConfig.model_validate(values)
    if direct is not None:
        assert {name: _fields(table)[name] for name in direct} == direct


def test_the_keys_are_the_models() -> None:
    assert KEYS == tuple(f.alias or name for name, f in _table_model().model_fields.items())
    assert LintConfig.model_fields == _table_model().model_fields


def test_a_config_is_frozen_and_compares_by_value() -> None:
    config = LintConfig(ignore=["HL101"], severity={"directive-typo": "warning"})
    with pytest.raises(AttributeError):
        config.duration = 10  # type: ignore[misc]
    assert config.severity == {"HL102": Severity.WARNING} and config.model_fields_set == {"ignore", "severity"}
    assert config == LintConfig.model_validate({"ignore": ["HL101"], "severity": {"HL102": "warning"}})
    assert config != LintConfig() and LintConfig() == LintConfig()
    merged = config.merged(select=None, duration=10, ignore=None)
    assert merged.duration == 10 and merged.ignore == ["HL101"] and config.duration == 6
    assert merged.model_dump() == {**config.model_dump(), "duration": 10}
    assert "duration=10" in repr(merged)


def test_a_wrong_command_line_value_names_the_option() -> None:
    with pytest.raises(ConfigError, match=r"^command line: --select: unknown rule 'HL9'; did you mean"):
        with_overrides(LintConfig(), {"select": ["HL9"], "ignore": None})
    assert with_overrides(LintConfig(), {"select": None}) == LintConfig()


def test_only_a_pyproject_that_can_name_hailuo_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n[broken\n", encoding="utf-8")
    assert find_pyproject(tmp_path) is None  # never parsed: it cannot hold [tool.hailuo]
    (tmp_path / "pyproject.toml").write_text('[tool."hail\\u0075o"]\nignore = ["HL101"]\n', encoding="utf-8")
    assert find_pyproject(tmp_path) == tmp_path / "pyproject.toml"  # an escape can spell it: read
    assert load_config(tmp_path)[0].ignore == ["HL101"]


def test_the_defaults_need_no_pydantic_and_no_toml_reader(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hailuo_dsl.config import LintConfig, load_config, with_overrides\n"
        f"config, found = load_config(Path({str(tmp_path)!r}))\n"
        "config = with_overrides(config, {'select': ['HL1', 'directive-typo'], 'duration': 10})\n"
        "assert found is None and config.duration == 10 and config.plan()\n"
        "print(sorted(m for m in ('pydantic', 'tomllib', 'tomli', 'lark') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
