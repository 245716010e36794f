"""Anchors outside the database: the append-only file (wherever the setting puts it) and the syslog copy."""

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cylch.audit.anchors import anchor_file, anchor_line
from cylch.audit.chain import chain_anchor, chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AccessOutcome, ChainHead
from tests.audit.entries import access_log_record
from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored():
    """Three sealed entries, the head anchored."""
    practitioner = PractitionerFactory()
    for person in PersonFactory.create_batch(3):
        access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
    chain_seal()
    assert chain_anchor()
    return list(AccessLogEntry.objects.order_by("sequence"))


def test_the_anchor_file_setting_puts_the_anchors_on_another_volume_and_each_line_is_appended(tmp_path):
    elsewhere = tmp_path / "another-volume" / "anchors.log"
    with override_settings(CYLCH_AUDIT_ANCHOR_FILE=str(elsewhere)):
        assert anchor_file() == elsewhere
        elsewhere.parent.mkdir()
        elsewhere.write_text("written before\n")
        practitioner, person = PractitionerFactory(), PersonFactory()
        for _ in range(2):
            access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
            chain_seal()
            chain_anchor()
        lines = elsewhere.read_text().splitlines()
    assert lines[0] == "written before"
    assert [line.split()[0] for line in lines[1:]] == ["1", "2"]
    head = ChainHead.objects.get()
    assert lines[-1] == anchor_line(head.sequence, head.entry_hash)


def test_each_anchor_is_also_sent_to_syslog():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(5)
        port = listener.getsockname()[1]
        with override_settings(CYLCH_AUDIT_SYSLOG=f"127.0.0.1:{port}"):
            practitioner, person = PractitionerFactory(), PersonFactory()
            access_log_record(practitioner=practitioner, person=person, page="person", outcome=AccessOutcome.DETAIL)
            chain_seal()
            assert chain_anchor()
        message = listener.recv(4096).decode()
    head = ChainHead.objects.get()
    assert message.startswith("<")  # a syslog priority: facility authpriv, severity info
    assert message.endswith(f"cylch-audit-anchor: {anchor_line(head.sequence, head.entry_hash)}\x00")


def _resign_everything():
    """What someone who holds another key (say, one derived from a leaked SECRET_KEY) and owns the database does:
    re-sign every entry, rechain, and sign a new head. Everything in the database then verifies under that key."""
    previous = "0" * 64
    for entry in AccessLogEntry.objects.order_by("sequence"):
        entry.page = "rewritten"
        entry.sign()
        entry.entry_hash = entry.link_hash(previous)
        AccessLogEntry.objects.filter(pk=entry.pk).update(
            page=entry.page, signature=entry.signature, previous_hash=previous, entry_hash=entry.entry_hash
        )
        previous = entry.entry_hash
    ChainHead.objects.update(entry_hash=previous, signature=ChainHead.signature_for(3, previous))


def test_a_chain_re_signed_with_another_key_contradicts_the_anchor_file(anchored, tamper):
    with tamper(), override_settings(CYLCH_AUDIT_KEY="the-forgers-key"):
        _resign_everything()
        forged_view = chain_verify()
    assert "is not an anchor Cylch wrote" in forged_view.problem.problem
    assert not chain_verify().intact  # and under the real key the entries themselves fail


def test_the_verify_command_reads_the_anchor_file_the_setting_names(anchored, tamper, tmp_path):
    with tamper():
        AccessLogEntry.objects.filter(pk=anchored[-1].pk).delete()
        older = anchored[-2]
        ChainHead.objects.update(
            sequence=older.sequence, entry_hash=older.entry_hash, signature=ChainHead.signature_for(2, older.entry_hash)
        )
    with pytest.raises(CommandError, match="missing from the end"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    with override_settings(CYLCH_AUDIT_ANCHOR_FILE=str(tmp_path / "never-written.log")):
        call_command("audit", "verify", stdout=StringIO())  # without its anchors the rollback goes unseen
