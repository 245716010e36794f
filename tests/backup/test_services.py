"""Backups round-trip: back up, restore into a fresh database, and the audit chain verifies there."""

import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from cylch.audit.models import AccessOutcome
from cylch.backup.services import BackupError, backup_create, backup_restore
from tests.audit.entries import access_log_record
from tests.factories import PersonFactory, PractitionerFactory

# Committed data: pg_dump reads through its own connection. (The marker, not the transactional_db fixture, so the
# committed audit log is emptied before Django's flush: see tests/conftest.py.)
pytestmark = pytest.mark.django_db(transaction=True)

CYLCH = str(Path(sys.executable).with_name("cylch"))


def _cylch(*args, database, var_dir):
    environment = {**os.environ, "DATABASE_URL": database, "CYLCH_VAR_DIR": str(var_dir)}
    return subprocess.run([CYLCH, *args], env=environment, capture_output=True, text=True, check=False)  # noqa: S603


@pytest.fixture
def scratch_database(tmp_path):
    """A fresh, empty database of the same kind as the test database: a new file, or `createdb` on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"cylch_restore_{uuid.uuid4().hex[:12]}"
    server = ["--host", settings["HOST"], "--port", str(settings["PORT"]), "--username", settings["USER"]]
    subprocess.run(["createdb", *server, name], check=True)  # noqa: S603, S607
    try:
        yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        subprocess.run(["dropdb", "--force", *server, name], check=True)  # noqa: S603, S607


@pytest.fixture
def logged(tmp_path):
    """Committed audit entries, anchored under a var directory of their own."""
    with override_settings(VAR_DIR=tmp_path / "var"):
        practitioner = PractitionerFactory()
        for person in PersonFactory.create_batch(3):
            access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
        yield


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_whose_audit_chain_verifies(logged, tmp_path, scratch_database):
    archive = backup_create(out=tmp_path / "backup.tar")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    restored_var = tmp_path / "restored-var"
    restored = _cylch("restore", str(archive), database=scratch_database, var_dir=restored_var)
    assert restored.returncode == 0, restored.stderr
    assert "Audit log intact: 3 entries checked." in restored.stdout
    assert (restored_var / "audit-anchors.log").read_text() == (tmp_path / "var" / "audit-anchors.log").read_text()

    verified = _cylch("audit", "verify", database=scratch_database, var_dir=restored_var)
    assert verified.returncode == 0, verified.stderr
    assert "Audit log intact: 3 entries checked against the recorded end and" in verified.stdout

    again = _cylch("restore", str(archive), database=scratch_database, var_dir=restored_var)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_an_altered_backup_is_refused_before_anything_is_restored(logged, tmp_path):
    """The database inside the tar is swapped for another while the manifest stays as it was."""
    archive = backup_create(out=tmp_path / "backup.tar")
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as original, tarfile.open(altered, "w") as copy:
        for member in original.getmembers():
            content = original.extractfile(member).read()
            if member.name.startswith("database."):
                content += b"\0"
            member.size = len(content)
            copy.addfile(member, io.BytesIO(content))
    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_restore(path=altered)


def test_a_restore_never_overwrites_a_database_that_holds_data(logged, tmp_path):
    archive = backup_create(out=tmp_path / "backup.tar")
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path=archive)
