"""`cylch feed import`: NDJSON and CSV extracts, the rejected-rows report, re-runs and resuming."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cylch.audit.chain import chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import ChronologyEvent
from cylch.feeds.services.files import feed_file_import
from cylch.people.models import HouseholdMembership, SourceRecord

pytestmark = pytest.mark.django_db


def _event_line(n, local_id="P-77", **changes):
    item = {
        "type": "event",
        "id": f"E-{n}",
        "person": {"local_id": local_id},
        "kind": "school_attendance",
        "occurred_at": "2026-02-01T09:00:00Z",
        "summary": f"Absent again ({n})",
    }
    return json.dumps({**item, **changes}) + "\n"


def _import(path, agency, *extra):
    out = StringIO()
    call_command("feed", "import", str(path), "--agency", str(agency.pk), *extra, stdout=out)
    return out.getvalue()


def test_an_ndjson_file_is_imported_with_progress_and_a_summary(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text("".join(_event_line(n) for n in range(3)))
    output = _import(source, police)
    assert "line 3: 3 stored" in output
    assert output.strip().endswith("items/s).")
    assert ChronologyEvent.objects.filter(person=police_record.person).count() == 3


def test_importing_the_same_file_again_stores_nothing_twice(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text("".join(_event_line(n) for n in range(3)))
    _import(source, police)
    assert "0 stored, 3 already stored" in _import(source, police)
    assert ChronologyEvent.objects.count() == 3


def test_the_agency_may_be_named_instead_of_numbered(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text(_event_line(1))
    out = StringIO()
    call_command("feed", "import", str(source), "--agency", police.name, stdout=out)
    assert ChronologyEvent.objects.count() == 1


def test_an_unknown_agency_is_refused(tmp_path):
    source = tmp_path / "events.ndjson"
    source.write_text(_event_line(1))
    with pytest.raises(CommandError, match="No single agency"):
        call_command("feed", "import", str(source), "--agency", "Nobody")


def test_a_malformed_line_is_reported_and_the_rest_of_the_file_goes_in(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text(_event_line(1) + '{"type": "event", "id": \n' + _event_line(3, kind="nonsense") + _event_line(4))
    output = _import(source, police)
    assert "2 stored" in output
    assert "2 rejected" in output
    report = [json.loads(line) for line in (tmp_path / "events.ndjson.rejected.ndjson").read_text().splitlines()]
    assert [(row["line"], sorted(row["errors"])) for row in report] == [(2, ["line"]), (3, ["kind"])]
    assert report[1]["id"] == "E-3"


def test_a_csv_file_carries_several_kinds_of_item_with_nested_columns(tmp_path, police, police_record):
    source = tmp_path / "extract.csv"
    source.write_text(
        "type,id,person.local_id,kind,occurred_at,summary,details,address_line_1,town,postcode,start_date\n"
        'event,E-1,P-77,police_incident,2026-02-01T22:00:00Z,Neighbour dispute,"{""log"": ""A1""}",,,,\n'
        "household_membership,H-1,P-77,,,,,4 Ffordd y Môr,Abertawe,SA1 1AA,2025-09-01\n"
    )
    output = _import(source, police)
    assert "2 stored" in output
    assert ChronologyEvent.objects.get().details == {"log": "A1"}
    assert HouseholdMembership.objects.get().household.town == "Abertawe"


def test_a_csv_row_about_a_person_never_sent_is_reported(tmp_path, police, police_record):
    source = tmp_path / "extract.csv"
    source.write_text(
        "type,id,person.local_id,kind,occurred_at,summary\nevent,E-1,NOPE,police_incident,2026-02-01T22:00:00Z,x\n"
    )
    _import(source, police, "--report", str(tmp_path / "bad.ndjson"))
    [row] = [json.loads(line) for line in (tmp_path / "bad.ndjson").read_text().splitlines()]
    assert row["line"] == 2
    assert "person" in row["errors"]


class Interrupted(Exception):
    pass


def _interrupt_after_first_chunk(line, summary):
    raise Interrupted


def test_an_interrupted_import_resumes_after_the_last_committed_chunk(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text("".join(_event_line(n) for n in range(5)))
    paths = {"report": tmp_path / "r.ndjson", "checkpoint": tmp_path / "c.json"}
    with pytest.raises(Interrupted):
        feed_file_import(
            agency=police, source=source, fmt="ndjson", chunk=2, progress=_interrupt_after_first_chunk, **paths
        )
    assert ChronologyEvent.objects.count() == 2
    summary = feed_file_import(agency=police, source=source, fmt="ndjson", chunk=2, **paths)
    assert (summary.resumed_from, summary.counts["stored"], summary.counts["already_stored"]) == (2, 3, 0)
    assert ChronologyEvent.objects.count() == 5
    assert not paths["checkpoint"].exists()


def test_a_chunk_committed_before_its_checkpoint_was_written_is_not_stored_twice(tmp_path, police, police_record):
    source = tmp_path / "events.ndjson"
    source.write_text("".join(_event_line(n) for n in range(5)))
    paths = {"report": tmp_path / "r.ndjson", "checkpoint": tmp_path / "c.json"}
    with pytest.raises(Interrupted):
        feed_file_import(
            agency=police, source=source, fmt="ndjson", chunk=2, progress=_interrupt_after_first_chunk, **paths
        )
    paths["checkpoint"].unlink()  # as if the process died between the commit and the checkpoint
    summary = feed_file_import(agency=police, source=source, fmt="ndjson", chunk=2, **paths)
    assert (summary.counts["stored"], summary.counts["already_stored"]) == (3, 2)
    assert ChronologyEvent.objects.count() == 5


def test_new_people_in_a_chunk_are_linked_together_and_each_write_is_on_a_chain_that_verifies(tmp_path, police):
    people = [("Alys", "Beynon", "2016-03-04"), ("Cai", "Vaughan", "2018-07-01"), ("Alys", "Beynon", "2016-03-04")]
    lines = [
        _event_line(n, person={"local_id": f"N{n}", "given_name": g, "family_name": f, "date_of_birth": d})
        for n, (g, f, d) in enumerate(people)
    ]
    source = tmp_path / "extract.ndjson"
    source.write_text("".join(lines) + _event_line(9, local_id="N1"))
    assert "4 stored" in _import(source, police)
    records = {r.local_id: r.person_id for r in SourceRecord.objects.filter(agency=police)}
    assert records["N0"] == records["N2"] != records["N1"]  # the same child sent twice is one person
    assert AccessLogEntry.objects.filter(page="person-link").count() == 3
    assert AccessLogEntry.objects.filter(page="chronology-event").count() == 4
    chain_seal()
    assert chain_verify().intact
    assert "0 stored, 4 already stored" in _import(source, police)
