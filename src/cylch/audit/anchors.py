"""Anchors: copies of the signed chain head kept where the database's owner cannot rewrite them.

A signed head inside the database proves where the chain ended, but whoever can restore the database can
restore an older head with a shorter chain (a rollback), or, holding the audit key, re-sign the lot. Each
anchor line (`sequence entry_hash signature`, signed with the audit key) is therefore also written outside
the database:

- to the anchor file, `CYLCH_AUDIT_ANCHOR_FILE` (default `audit-anchors.log` under `CYLCH_VAR_DIR`), opened
  O_APPEND so a line is only ever added at the end. In production it lives on another volume, made
  append-only (`chattr +a`) or owned by a user the database's administrators are not;
- optionally to syslog, `CYLCH_AUDIT_SYSLOG` (`host:port` over UDP, or the path of a local socket such as
  `/dev/log`), so a copy also reaches a log server that neither the database nor this host can rewrite.

`cylch audit verify` checks the chain against every line of the anchor file; the syslog copy is for
comparing by hand (or by the log server's own alerting) when the host itself is in doubt.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from cylch.audit.signing import audit_sign, audit_signature_valid

ANCHOR_FILE_NAME = "audit-anchors.log"
SYSLOG_TAG = "cylch-audit-anchor"


def anchor_file() -> Path:
    configured = str(getattr(settings, "CYLCH_AUDIT_ANCHOR_FILE", ""))
    return Path(configured) if configured else Path(settings.VAR_DIR) / ANCHOR_FILE_NAME


@dataclass(frozen=True)
class Anchor:
    line: int
    sequence: int
    entry_hash: str
    signed: bool


def anchor_line(sequence: int, entry_hash: str) -> str:
    return f"{sequence} {entry_hash} {audit_sign('anchor', sequence, entry_hash)}"


def _parse(number: int, text: str) -> Anchor:
    parts = text.split()
    if len(parts) != 3 or not parts[0].isdigit():
        return Anchor(number, 0, "", signed=False)
    sequence, entry_hash, signature = int(parts[0]), parts[1], parts[2]
    return Anchor(number, sequence, entry_hash, audit_signature_valid(signature, "anchor", sequence, entry_hash))


def anchors_read(path: Path) -> Iterator[Anchor]:
    if not path.exists():
        return
    with path.open(encoding="ascii", errors="replace") as stream:
        for number, text in enumerate(stream, start=1):
            if text.strip():
                yield _parse(number, text)


def last_anchor_line(path: Path) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as stream:
        stream.seek(0, os.SEEK_END)
        stream.seek(max(0, stream.tell() - 4096))
        lines = stream.read().decode(errors="replace").splitlines()
    return lines[-1].strip() if lines else ""


def anchor_file_append(path: Path, line: str) -> None:
    """Append one line, durably. O_APPEND: the file is never opened for rewriting, even by Cylch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, f"{line}\n".encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _syslog_address(configured: str) -> str | tuple[str, int]:
    if configured.startswith("/"):
        return configured
    host, _, port = configured.rpartition(":")
    return (host or "127.0.0.1", int(port))


def anchor_syslog_send(line: str) -> bool:
    """Send the line to `CYLCH_AUDIT_SYSLOG` if one is configured (authpriv, so it lands in a restricted log)."""
    configured = str(getattr(settings, "CYLCH_AUDIT_SYSLOG", ""))
    if not configured:
        return False
    handler = logging.handlers.SysLogHandler(
        address=_syslog_address(configured),
        facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV,
        socktype=socket.SOCK_DGRAM,
    )
    try:
        record = logging.LogRecord(SYSLOG_TAG, logging.INFO, __file__, 0, f"{SYSLOG_TAG}: {line}", None, None)
        handler.emit(record)
    finally:
        handler.close()
    return True
