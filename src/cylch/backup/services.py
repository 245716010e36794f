"""Backups that carry their own proof: the database and the audit anchors in one tar, with checksums.

A backup is a tar of `manifest.json` (format, database vendor, when, the chain's end, each member's SHA-256),
the database (PostgreSQL: `pg_dump --format=custom`; SQLite: a copy taken with the online backup API, so the
server and worker keep running) and the audit anchor file as it stood. The anchors travel with the dump
because a restored database proves nothing by itself: whoever restores it could have edited it first.
`backup_restore` checks every checksum, restores into an empty database only (it never overwrites a live
audit log), and verifies the restored chain against the bundled anchors.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cylch.audit.anchors import anchor_file
from cylch.audit.chain import ChainReport, chain_anchor, chain_seal, chain_verify
from cylch.audit.models import ChainHead

FORMAT = 1
MANIFEST = "manifest.json"
ANCHORS = "audit-anchors.log"
DATABASE = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """The backup could not be taken or restored; the message says why."""


def _vendor() -> str:
    if connection.vendor not in DATABASE:
        raise BackupError(f"No backup written for {connection.vendor}; Cylch runs on PostgreSQL or SQLite.")
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database, so no password appears on a command line."""
    database = connection.settings_dict
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_dump(vendor: str, target: Path) -> None:
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={target}"])
        return
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def backup_default_path() -> Path:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"cylch-{stamp}.tar"


def backup_create(*, out: Path | None = None) -> Path:
    """Seal and anchor the log, then write the tar (readable by its owner only: it holds personal data)."""
    vendor = _vendor()
    chain_seal()
    chain_anchor()
    out = out or backup_default_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cylch-backup-") as work:
        members = {DATABASE[vendor]: Path(work) / DATABASE[vendor]}
        _database_dump(vendor, members[DATABASE[vendor]])
        if anchor_file().exists():
            members[ANCHORS] = Path(work) / ANCHORS
            members[ANCHORS].write_bytes(anchor_file().read_bytes())
        head = ChainHead.objects.filter(pk=1).first()
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "chain_sequence": head.sequence if head else 0,
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as bundle:
            encoded = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            bundle.addfile(info, io.BytesIO(encoded))
            for name, path in members.items():
                bundle.add(path, arcname=name)
    return out


@dataclass(frozen=True)
class RestoreReport:
    vendor: str
    chain_sequence: int
    anchors: Path | None
    chain: ChainReport


def _extract(path: Path, work: Path) -> dict[str, Any]:
    """Unpack the known members only, and check each against the manifest."""
    try:
        with tarfile.open(path, mode="r") as bundle:
            manifest: dict[str, Any] = json.loads(bundle.extractfile(MANIFEST).read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a Cylch backup of format {FORMAT}.")
            for name, expected in manifest["files"].items():
                if name not in {ANCHORS, *DATABASE.values()}:
                    raise BackupError(f"{path} names an unexpected file, {name}.")
                bundle.extract(name, work, filter="data")
                if _sha256(work / name) != expected:
                    raise BackupError(f"{name} in {path} does not match its checksum (damaged or altered).")
    except (tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{path} is not a readable Cylch backup ({error}).") from error
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _database_load(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        _run(["pg_restore", "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(dump)])
        return
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _anchors_install(bundled: Path) -> Path:
    """The live anchor file is append-only and never replaced: the bundled anchors go there only if there is
    none yet (a fresh machine), otherwise beside it."""
    live = anchor_file()
    target = live if not live.exists() else live.with_name(f"{live.name}.restored-{timezone.now():%Y%m%dT%H%M%S}")
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(bundled.read_bytes())
    return target


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore `path` into the configured database, which must be empty, and verify its chain."""
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="cylch-restore-") as directory:
        work = Path(directory)
        manifest = _extract(path, work)
        if manifest["vendor"] != vendor:
            raise BackupError(f"{path} is a {manifest['vendor']} backup; the configured database is {vendor}.")
        if not _database_is_empty():
            raise BackupError(
                "The configured database is not empty. Restore into a new one (createdb, or a new SQLite file): "
                "a restore never overwrites a live audit log."
            )
        _database_load(vendor, work / DATABASE[vendor])
        anchors = _anchors_install(work / ANCHORS) if (work / ANCHORS).exists() else None
    return RestoreReport(vendor, int(manifest["chain_sequence"]), anchors, chain_verify(anchors=anchors))
