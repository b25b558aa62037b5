"""The README's rule table is the registry's, and its tour output is what the CLI prints."""

import re
from pathlib import Path

from hailuo_dsl.cli.lint_commands import rules_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.DOTALL)
    assert table is not None, "README lost its rule table markers"
    assert table.group(1) == rules_markdown(), "README rule table is stale: run `hailuo rules --format markdown`"


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert "pip install" in blocks[0] and "hailuo" in blocks[0]
    assert "pytest" in blocks[1]
