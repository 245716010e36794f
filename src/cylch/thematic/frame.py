"""The coding frame: what a review can be coded with, as versioned data (`frames/v<N>.json`).

A frame is a file, not rows a migration loads, so every process (web, commands, tests) reads the same codes and
a test database emptied by a browser test still has them. A change to the codes is a new file with the next
version; each coded review records the version it was coded against. Labels and definitions come in English and
Welsh; `Code.label` gives the one for the active language.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

FRAMES = Path(__file__).parent / "frames"
CURRENT_VERSION = 1
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,63}")
# The groups whose codes the analysis treats specially.
INCIDENT = "incident"
PARENT = "parent"
VULNERABILITY = "vulnerability"


def _welsh() -> bool:
    return (get_language() or "en").startswith("cy")


@dataclass(frozen=True)
class Group:
    key: str
    label_en: str
    label_cy: str

    @property
    def label(self) -> str:
        return self.label_cy if _welsh() else self.label_en


@dataclass(frozen=True)
class Code:
    key: str
    group: str
    label_en: str
    label_cy: str
    definition_en: str
    definition_cy: str

    @property
    def label(self) -> str:
        return self.label_cy if _welsh() else self.label_en

    @property
    def definition(self) -> str:
        return self.definition_cy if _welsh() else self.definition_en


@dataclass(frozen=True)
class Frame:
    version: int
    groups: tuple[Group, ...]
    codes: tuple[Code, ...]

    @functools.cached_property
    def by_key(self) -> dict[str, Code]:
        return {code.key: code for code in self.codes}

    def group(self, key: str) -> Group:
        return next(group for group in self.groups if group.key == key)

    def in_group(self, group: str) -> list[Code]:
        return [code for code in self.codes if code.group == group]


class FrameError(ValueError):
    """A frame file that breaks the rules below: a fault in the shipped data, caught by the tests."""


@functools.cache
def coding_frame(version: int = CURRENT_VERSION) -> Frame:
    """The frame of this version, checked: unique well-formed keys, known groups, every text in both languages."""
    data = json.loads((FRAMES / f"v{version}.json").read_text(encoding="utf-8"))
    if data.get("version") != version:
        raise FrameError(f"frames/v{version}.json says it is version {data.get('version')!r}")
    groups = tuple(Group(g["key"], g["label"], g["label_cy"]) for g in data["groups"])
    group_keys = {group.key for group in groups}
    codes = tuple(
        Code(c["key"], c["group"], c["label"], c["label_cy"], c["definition"], c["definition_cy"])
        for c in data["codes"]
    )
    seen: set[str] = set()
    for code in codes:
        if not KEY_PATTERN.fullmatch(code.key) or code.key in seen:
            raise FrameError(f"code key {code.key!r} is malformed or repeated")
        if code.group not in group_keys:
            raise FrameError(f"code {code.key!r} is in an unknown group {code.group!r}")
        if not all((code.label_en, code.label_cy, code.definition_en, code.definition_cy)):
            raise FrameError(f"code {code.key!r} lacks a label or definition in English or Welsh")
        seen.add(code.key)
    return Frame(version=version, groups=groups, codes=codes)
