"""What each agency holds: its involvement with a person, its own copy of the person (with the
recording differences real systems have: nicknames, typos, old addresses, missing NHS numbers) and
the chronology events in that record.
"""

from __future__ import annotations

import datetime
import json

from cylch.people.validators import upn_check_letter
from cylch.synthetic.generator.base import _CLOCK, _GeneratorBase
from cylch.synthetic.generator.records import _Family, _Household, _Involvement, _Person, _Service, _Team
from cylch.synthetic.generator.tables import cylch_id_for
from cylch.synthetic.names import NICKNAMES, welsh_english_alternative
from cylch.synthetic.vocabulary import CHILD_WORDS, SENSITIVE_KINDS, SUMMARIES

# How often an agency's copy of a person lacks the NHS number (health systems almost always have it).
_NHS_MISSING = {
    "gp_practice": 0.01,
    "health_visiting": 0.02,
    "midwifery": 0.03,
    "school_nursing": 0.05,
    "hospital": 0.04,
    "camhs": 0.03,
    "adult_mental_health": 0.04,
    "substance_misuse": 0.4,
    "childrens_services": 0.25,
    "police": 0.8,
    "school": 0.6,
    "education_welfare": 0.6,
    "housing": 0.9,
    "probation_youth_justice": 0.7,
    "third_sector": 0.9,
}


class _AgencyRecords(_GeneratorBase):
    """The lowest stage: every other stage writes what an agency knows through `involve` and `event`."""

    def involve(
        self,
        family: _Family,
        person: _Person,
        service: _Service,
        team: _Team,
        start: int,
        end: int | None,
        named: float,
        role: str,
        *,
        record_only: bool = False,
    ) -> _Involvement:
        """An agency working with a person (the basis of need-to-know) and its own record of them.

        `record_only` reuses an existing involvement's record when the agency already works with the
        person, so a one-off event (a concern, a missed appointment) does not open a second case.
        """
        rng = self.rng
        key = (person.id, service.agency_id)
        record = family.records.get(key)
        if record_only:
            if record is not None:
                return _Involvement(service, team, record, None, start, end)
            end = start + 30 if end is None else end  # a one-off contact, not an open case
        practitioner = rng.choice(team.staff) if named and rng.random() < named else None
        if record is None:
            record = self.source_record(person, service, start)
            family.records[key] = record
        inv_end = end if end is not None and end < self.today else None
        self.emit(
            "involvement",
            (
                self.new_id("involvement"),
                person.id,
                service.agency_id,
                team.id,
                practitioner,
                role,
                self.day(start),
                self.opt_day(inv_end),
            ),
        )
        return _Involvement(service, team, record, practitioner, start, inv_end)

    def address_on(self, person: _Person, day: int) -> _Household | None:
        for household, start, end in person.spells:
            if start <= day and (end is None or end >= day):
                return household
        return person.spells[0][0] if person.spells else None

    def source_record(self, person: _Person, service: _Service, start: int) -> int:
        """The agency's own copy of the person, with the recording differences real systems have."""
        rng = self.rng
        record_id = self.new_id("source_record")
        applied: list[str] = []
        given, family_name, dob = person.given, person.family, person.dob
        if person.dob is None:
            given = "Baby" if rng.random() < 0.5 else ""
        else:
            other = welsh_english_alternative(given)
            nicknames = NICKNAMES.get(given)
            if other is not None and rng.random() < 0.12:
                given, applied = other, ["welsh_english_form"]
            elif nicknames and rng.random() < 0.15:
                given, applied = rng.choice(nicknames), ["nickname"]
            if (
                person.prev_family
                and person.prev_family_until is not None
                and (start < person.prev_family_until or rng.random() < 0.1)
            ):
                family_name = person.prev_family
                applied.append("previous_surname")
            if rng.random() < 0.03:
                family_name = self.typo(family_name)
                applied.append("family_name_typo")
            if rng.random() < 0.02:
                given = self.typo(given)
                applied.append("given_name_typo")
            born = datetime.date.fromordinal(person.dob)
            if born.day <= 12 and born.day != born.month and rng.random() < 0.02:
                dob = born.replace(month=born.day, day=born.month).toordinal()
                applied.append("dob_day_month_swap")
            elif service.kind in ("police", "third_sector", "housing") and rng.random() < 0.04:
                dob = None
                applied.append("dob_missing")
        nhs = person.nhs
        if nhs and rng.random() < _NHS_MISSING[service.kind]:
            nhs = ""
            applied.append("nhs_missing")
        elif nhs and rng.random() < 0.003:
            nhs = nhs[:4] + nhs[5] + nhs[4] + nhs[6:]
            applied.append("nhs_transposed")
        first_address = self.address_on(person, start)
        current = person.spells[-1][0] if person.spells else None
        household = first_address
        if first_address is not current and rng.random() < 0.5:
            household = current  # the agency heard about the move
        if household is not current:
            applied.append("old_address")
        postcode = household.postcode if household else ""
        if postcode and rng.random() < 0.01:
            postcode = postcode[:-2] + postcode[-1] + postcode[-2]
            applied.append("postcode_typo")
        address = f"{household.line1}, {household.town}" if household else ""
        identifiers = "{}"
        if service.kind == "school":
            identifiers = json.dumps({"upn": self.upn(person, service, start)})
        elif service.kind == "police":
            police_id = f"{self.places.police_prefix}{person.id:09d}"
            identifiers = json.dumps({"police_id": police_id})
            self.emit(
                "person_identifier",
                (self.new_id("person_identifier"), person.id, "police_id", police_id, service.agency_id),
            )
        elif service.kind == "childrens_services":
            area = self.area_on(person, start)
            council_id = f"{area.spec.dfe_number}-{person.id:08d}"
            identifiers = json.dumps({"council_id": council_id})
            self.emit(
                "person_identifier",
                (self.new_id("person_identifier"), person.id, "council_id", council_id, service.agency_id),
            )
        received = max(start, person.dob or start)
        self.emit(
            "source_record",
            (
                record_id,
                service.agency_id,
                f"{service.prefix}{record_id:09d}",
                person.id,
                given,
                family_name,
                self.opt_day(dob),
                person.sex,
                nhs,
                postcode,
                address,
                identifiers,
                self.day(received) + _CLOCK[600],
                "",  # ethnicity and first language as this agency recorded them: not given in the synthetic region
                "",
            ),
        )
        self.emit(
            "source_record_truth",
            (self.new_id("source_record_truth"), record_id, cylch_id_for(person.id), ",".join(applied)),
        )
        return record_id

    def typo(self, name: str) -> str:
        rng = self.rng
        if len(name) < 3:
            return name
        i = rng.randrange(1, len(name) - 1)
        operation = rng.randrange(4)
        if operation == 0:
            return name[:i] + name[i + 1 :]
        if operation == 1:
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if operation == 2:
            return name[:i] + name[i] + name[i:]
        return name[:i] + rng.choice("aeiouyrnst") + name[i + 1 :]

    def upn(self, person: _Person, school: _Service, start: int) -> str:
        """A unique pupil number from the council's DfE number, the school and the year of entry."""
        area = self.area_on(person, start)
        year = datetime.date.fromordinal(start).year % 100
        serial = self.upn_serial[(school.agency_id, year)]
        self.upn_serial[(school.agency_id, year)] = serial + 1
        body = f"{area.spec.dfe_number}{school.estab:04d}{year:02d}{serial % 1000:03d}"
        value = upn_check_letter(body) + body
        self.emit("person_identifier", (self.new_id("person_identifier"), person.id, "upn", value, school.agency_id))
        return value

    def event(
        self,
        person: _Person,
        inv: _Involvement,
        kind: str,
        day: int,
        *,
        words: bool = False,
        categories: tuple[str, ...] = (),
    ) -> None:
        """One chronology entry in the agency's record, recorded a little after it happened; a concern carries
        its categories as Cylch's own concerns do (the cumulative-risk rules read them)."""
        rng = self.rng
        today = self.today
        if day > today:
            day = today
        if person.dob is not None and day < person.dob:
            day = person.dob
        if inv.service.kind == "police" or kind == "emergency_attendance":
            minute = rng.randrange(1440)
        else:
            minute = 480 + rng.randrange(600)
        delay = rng.choices((0, 1, 3, 12), (60, 20, 15, 5))[0]
        recorded = min(today, day + delay)
        recorded_minute = min(1439, minute + 5 + rng.randrange(240)) if recorded == day else 480 + rng.randrange(600)
        by = inv.practitioner if inv.practitioner is not None and rng.random() < 0.8 else rng.choice(inv.team.staff)
        child_words = ""
        if words and person.dob is not None and day - person.dob > 4 * 365 and rng.random() < 0.3:
            child_words = rng.choice(CHILD_WORDS)
        sensitivity = "sensitive" if kind in SENSITIVE_KINDS else "standard"
        self.emit(
            "chronology_event",
            (
                self.new_id("chronology_event"),
                person.id,
                inv.record,
                inv.service.agency_id,
                by,
                kind,
                self.day(day) + _CLOCK[minute],
                self.day(recorded) + _CLOCK[recorded_minute],
                rng.choice(SUMMARIES[kind]),
                json.dumps({"categories": list(categories)}) if categories else "{}",
                sensitivity,
                child_words,
            ),
        )

    def routine(self, person: _Person, inv: _Involvement, kind: str, rate: float, *, words: bool = False) -> None:
        start = max(inv.start, self.window_start)
        end = inv.end if inv.end is not None else self.today
        randint = self.rng.randint
        for _ in range(self.times(rate * person.activity, start, end)):
            self.event(person, inv, kind, randint(start, end), words=words)

    def police_involvement(self, family: _Family, person: _Person, day: int) -> _Involvement:
        area = self.area_on(person, day)
        return self.involve(
            family, person, area.police, area.police_team, day, day + 365, 0.2, "Officer in case", record_only=True
        )
