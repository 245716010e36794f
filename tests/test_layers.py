"""Guard: the apps stay in layers. `make lint` runs import-linter; this shows it fails on an upward import.

A copy of the package gets one import that runs up the layers (core importing records); import-linter, run on
the copy with the project's own contracts, must report the layers contract broken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cylch

PACKAGE_DIR = Path(cylch.__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(source_root: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(source_root)}
    return subprocess.run(  # noqa: S603 - the project's own tool on the project's own files
        [str(LINT_IMPORTS), "--config", str(PROJECT_DIR / "pyproject.toml"), "--no-cache"],
        cwd=source_root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layers_hold_today(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE_DIR, copy / "cylch", ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    result = _lint(copy)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE_DIR, copy / "cylch", ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    codes = copy / "cylch" / "core" / "codes.py"
    codes.write_text(codes.read_text() + "\nimport cylch.records.views  # noqa: E402, F401\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "cylch.core.codes -> cylch.records.views" in result.stdout
