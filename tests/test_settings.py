"""Database settings read from the environment (each case in a fresh interpreter: settings are read once)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PRINT_OPTIONS = "from cylch import settings; import json; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"


def _options(**env: str) -> dict[str, object]:
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PRINT_OPTIONS],
        env={**{k: v for k, v in os.environ.items() if k != "CYLCH_DB_PREPARE_THRESHOLD"}, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    options: dict[str, object] = json.loads(result.stdout)
    return options


def test_postgresql_prepares_statements_a_connection_keeps_running():
    options = _options(DATABASE_URL="postgres://cylch@db.invalid:5432/cylch")
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize("value", ["off", "none", ""])
def test_prepared_statements_can_be_turned_off_for_a_pooler(value):
    options = _options(DATABASE_URL="postgres://cylch@db.invalid:5432/cylch", CYLCH_DB_PREPARE_THRESHOLD=value)
    assert options == {"server_side_binding": True, "prepare_threshold": None}


def test_sqlite_has_no_prepared_statement_options():
    options = _options(DATABASE_URL="sqlite:////tmp/cylch-settings-test.sqlite3")
    assert "prepare_threshold" not in options
