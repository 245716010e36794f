"""The README's example of each kind of item, in NDJSON and CSV, is an item Cylch accepts as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cylch.feeds.items import ItemParser
from cylch.feeds.services.files import file_lines

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = README.read_text().split("## Feeding the record")[1].split("\n## ")[0]


def _block(language):
    return re.search(rf"```{language}\n(.*?)```", SECTION, re.DOTALL).group(1)


@pytest.mark.parametrize(("language", "suffix"), [("json", "ndjson"), ("csv", "csv")])
def test_every_example_item_in_the_readme_is_valid(tmp_path, language, suffix):
    path = tmp_path / f"examples.{suffix}"
    path.write_text(_block(language))
    lines = list(file_lines(path, "csv" if suffix == "csv" else "ndjson"))
    parser = ItemParser()
    assert {line.item_type for line in lines} == {
        "event",
        "involvement",
        "household_membership",
        "relationship",
        "status",
    }
    for line in lines:
        assert not line.errors
        assert parser.parse(line.item_type, line.raw)[1] == {}, line.number
