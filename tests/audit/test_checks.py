"""`cylch check --deploy` warns while the audit log is signed with the development key."""

from django.core import checks
from django.test import override_settings

from cylch.audit.checks import DEFAULT_AUDIT_KEY


def _deploy_warnings():
    return checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])


@override_settings(CYLCH_AUDIT_KEY="")
def test_the_deploy_check_warns_when_the_audit_key_is_derived_from_the_secret_key():
    assert DEFAULT_AUDIT_KEY in _deploy_warnings()


@override_settings(CYLCH_AUDIT_KEY="a-long-random-secret-from-the-environment")
def test_the_deploy_check_is_quiet_when_an_audit_key_is_set():
    assert DEFAULT_AUDIT_KEY not in _deploy_warnings()
