"""Access tests use the audit tests' fixtures: each test's own anchor file, and switching the triggers off."""

from tests.audit.conftest import _anchor_file_per_test, tamper  # noqa: F401 - fixtures, found by name
