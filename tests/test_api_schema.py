"""The OpenAPI description is complete and valid: agency systems integrate from it."""

from io import StringIO

import yaml
from django.core.management import call_command


def test_schema_generates_without_warnings_and_lists_every_endpoint(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target), stderr=StringIO())
    paths = set(yaml.safe_load(target.read_text())["paths"])
    assert {
        "/api/v1/concerns",
        "/api/v1/concerns/{reference}",
        "/api/v1/persons/{cylch_id}",
        "/api/v1/persons/match",
        "/api/v1/source-records",
    } <= paths
