"""Settings read from the environment (each case in a fresh interpreter: settings are read once)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

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


README = Path(__file__).resolve().parents[1] / "README.md"
# The README's production environment with concrete values: the host names, keys and database are this test's.
PRODUCTION = {
    "CYLCH_ENVIRONMENT": "production",
    "CYLCH_SECRET_KEY": "kq7V0x-production-like-secret-key-for-this-test-only-3fT9wZ2pLm8sQ4",
    "CYLCH_AUDIT_KEY": "a1-production-like-audit-key-for-this-test-only-Yh6Rb2Nc",
    "CYLCH_DEBUG": "0",
    "CYLCH_ALLOWED_HOSTS": "cylch.example.gov.wales",
    "CYLCH_CSRF_TRUSTED_ORIGINS": "https://cylch.example.gov.wales",
    "CYLCH_SECURE_COOKIES": "1",
    "CYLCH_SSL_REDIRECT": "1",
    "CYLCH_TRUST_X_FORWARDED_PROTO": "1",
    "CYLCH_TRUSTED_PROXY_COUNT": "1",
    "CYLCH_HSTS_SECONDS": "31536000",
    "CYLCH_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DATABASE_URL": "",  # the test database, set in _deploy_check
    "CYLCH_VAR_DIR": "",  # a temporary directory, set in _deploy_check
}
# Warnings only the deployment can settle, not the settings: whether the domain is on the browsers' HSTS preload
# list (its owner submits the parent domain), and on PostgreSQL the role the test connects as, a superuser here,
# which production replaces with the application role of docs/deploy.md.
DEPLOYMENT_DEPENDENT = {"security.W021", "cylch.audit.W002"}


def _deploy_check(env: dict[str, str], tmp_path: Path) -> tuple[int, set[str]]:
    """The exit status and the check IDs of `cylch check --deploy --database default` in a fresh process with
    only `env` set."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        database = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    else:
        database = f"sqlite:///{tmp_path / 'cylch.sqlite3'}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("CYLCH_") and k != "DATABASE_URL"}
    env = {**base, **env, "DATABASE_URL": database, "CYLCH_VAR_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603 - the project's own command, fixed arguments
        [str(Path(sys.executable).with_name("cylch")), "check", "--deploy", "--database", "default"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, set(re.findall(r"\(([\w.]+\.[EW]\d{3})\)", result.stderr))


def test_the_readme_lists_the_production_environment_this_test_checks():
    block = re.search(r"<!-- production-environment -->\s*```sh\n(.*?)```", README.read_text(), re.DOTALL)
    assert block, "README.md has lost its production environment block"
    listed = {line.split("=", 1)[0] for line in block.group(1).splitlines() if "=" in line and not line.startswith("#")}
    assert listed == set(PRODUCTION)


@pytest.mark.django_db
def test_the_deploy_check_is_clean_with_the_production_environment(tmp_path):
    status, reported = _deploy_check(PRODUCTION, tmp_path)
    assert status == 0
    assert reported <= DEPLOYMENT_DEPENDENT


@pytest.mark.django_db
def test_the_deploy_check_names_what_a_laptop_demo_leaves_unsafe(tmp_path):
    unsafe = {"security.W004", "security.W008", "security.W012", "security.W016", "cylch.core.W001"}
    assert unsafe <= _deploy_check({}, tmp_path)[1]


def _settings_load(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter with only `env` of Cylch's variables set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CYLCH_")}
    return subprocess.run(
        [sys.executable, "-c", "import cylch.settings"],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_its_keys_set():
    assert _settings_load(**{k: v for k, v in PRODUCTION.items() if v}).returncode == 0


@pytest.mark.parametrize(
    ("unset", "named"),
    [("CYLCH_AUDIT_KEY", "CYLCH_AUDIT_KEY is unset"), ("CYLCH_SECRET_KEY", "CYLCH_SECRET_KEY is the development key")],
)
def test_production_refuses_to_start_without_a_key(unset, named):
    env = {k: v for k, v in PRODUCTION.items() if v and k != unset}
    result = _settings_load(**env)
    assert result.returncode != 0
    assert f"Cylch refuses to start in production: {named}" in result.stderr


def test_production_refuses_to_start_without_two_factor():
    result = _settings_load(**{k: v for k, v in PRODUCTION.items() if v}, CYLCH_REQUIRE_TWO_FACTOR="0")
    assert "CYLCH_REQUIRE_TWO_FACTOR is off" in result.stderr


def test_an_unknown_environment_is_refused():
    assert "must be development or production" in _settings_load(CYLCH_ENVIRONMENT="prod").stderr
