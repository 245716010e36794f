"""`cylch synth` and `cylch demo` from the command line."""

from __future__ import annotations

import base64
import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import Practitioner, RoleCode
from cylch.accounts.services import two_factor_verify
from cylch.people.models import Person
from cylch.synthetic.files import LINKAGE_RECORD_COLUMNS, LINKAGE_TRUTH_COLUMNS
from cylch.synthetic.services import DEMO_PASSWORD, DEMO_SIGN_INS, demo_authenticator_key


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_synth_writes_one_csv_per_table_and_the_linkage_files(tmp_path):
    output = _run("synth", "--people", "300", "--seed", "4", "--out", str(tmp_path))
    assert "persons/s" in output
    with (tmp_path / "linkage_records.csv").open() as f:
        records = list(csv.DictReader(f))
    with (tmp_path / "linkage_truth.csv").open() as f:
        truth = list(csv.DictReader(f))
    assert tuple(records[0]) == LINKAGE_RECORD_COLUMNS
    assert tuple(truth[0]) == LINKAGE_TRUTH_COLUMNS
    assert {r["record_id"] for r in records} == {t["record_id"] for t in truth}
    assert (tmp_path / "chronology_event.csv").exists()


@pytest.mark.django_db
def test_synth_loads_the_database_and_reports_the_rate():
    output = _run("synth", "--people", "300", "--seed", "4")
    assert Person.objects.count() >= 300
    assert "persons/s" in output


@pytest.mark.django_db
def test_demo_creates_one_sign_in_per_role():
    _run("demo")
    for role in RoleCode:
        assert Practitioner.objects.filter(roles__code=role, username__in=[s.username for s in DEMO_SIGN_INS]).exists()
    admin = Practitioner.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_run_again_creates_nothing_but_prints_the_sign_ins():
    _run("demo")
    people, users = Person.objects.count(), Practitioner.objects.count()
    output = _run("demo")
    assert (Person.objects.count(), Practitioner.objects.count()) == (people, users)
    assert "0 demo sign-in(s) created" in output
    assert all(spec.username in output for spec in DEMO_SIGN_INS)
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_demo_prints_each_sign_ins_authenticator_key_and_its_codes_are_accepted():
    output = _run("demo")
    for spec in DEMO_SIGN_INS:
        device = TOTPDevice.objects.get(user__username=spec.username, confirmed=True)
        key = base64.b32encode(device.bin_key).decode()
        line = next(line for line in output.splitlines() if line.startswith(f"{spec.username} "))
        assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in line
        assert f"{spec.username}: otpauth://totp/Cylch%3A{spec.username}?secret={key}" in output
        assert device.key == demo_authenticator_key(spec.username)  # the same on every machine
    assert two_factor_verify(practitioner=device.user, code=f"{totp(device.bin_key):06d}") == device
