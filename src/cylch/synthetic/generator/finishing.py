"""Finishing a family: the everyday services every person is known to (GP, health visiting, schools and
school nursing, emergency care, midwifery, housing, adult services, offending), then the person rows.
"""

from __future__ import annotations

import datetime

from cylch.synthetic.generator.agency_records import _AgencyRecords
from cylch.synthetic.generator.base import YEAR
from cylch.synthetic.generator.records import _Area, _Family, _Person
from cylch.synthetic.generator.tables import cylch_id_for
from cylch.synthetic.names import NICKNAMES

# Healthy Child Wales contacts, in days after birth.
_HEALTH_VISITING_SCHEDULE = (12, 42, 56, 84, 112, 183, 456, 822, 1277)
_IMMUNISATION_DAYS = (56, 84, 112, 365, 1216)


class _NotReady(RuntimeError):
    """A generation step ran before the step it depends on (a bug in the generator, never bad input)."""


class _Finishing(_AgencyRecords):
    """Builds on agency records: each everyday service is an involvement and the events in its record."""

    def finish(self, family: _Family) -> None:
        """Everyday involvements (GP, health visiting, school...), then the person rows themselves."""
        for person in family.people:
            self.everyday_services(family, person)
        for person in family.people:
            self.person_rows(person)

    def person_rows(self, person: _Person) -> None:
        now = self.now_text
        unborn = person.dob is None
        self.emit(
            "person",
            (
                person.id,
                cylch_id_for(person.id),
                person.given,
                person.middle,
                person.family,
                self.key(person.given),
                self.key(person.family),
                unborn,
                self.opt_day(person.edd),
                self.opt_day(person.dob),
                None,
                person.sex,
                "",
                person.heritage.ethnicity,
                person.language,
                person.interpreter,
                person.nhs,
                None,
                now,
                now,
            ),
        )
        if person.prev_family:
            self.emit(
                "person_name",
                (
                    self.new_id("person_name"),
                    person.id,
                    "previous",
                    person.given,
                    person.prev_family,
                    self.key(person.given),
                    self.key(person.prev_family),
                    self.opt_day(person.dob),
                    self.opt_day(person.prev_family_until),
                ),
            )
        nicknames = NICKNAMES.get(person.given)
        if nicknames and self.rng.random() < 0.2:
            nickname = nicknames[0]
            self.emit(
                "person_name",
                (
                    self.new_id("person_name"),
                    person.id,
                    "known_as",
                    nickname,
                    person.family,
                    self.key(nickname),
                    self.key(person.family),
                    None,
                    None,
                ),
            )

    def everyday_services(self, family: _Family, person: _Person) -> None:
        if person.dob is None:
            self.antenatal(family, person)
            return
        periods = self.area_periods(person)
        for area, start, end in periods:
            self.gp(family, person, area, start, end)
            if person.dob > start - 5 * 365:
                self.health_visiting(family, person, area, start, end)
            self.schools(family, person, area, start, end)
            self.emergency_care(family, person, area, start, end)
        if self.window_start <= person.dob <= self.today:
            self.birth(family, person)
        area = periods[-1][0]
        if family.social_housing and self.age_on(person, self.today) >= 18:
            housing = area.housing
            inv = self.involve(family, person, housing, housing.team, periods[-1][1], None, 0.5, "Housing officer")
            self.routine(person, inv, "housing_contact", 0.8)
        for kind in person.adult_services:
            if kind == "offending":
                self.offending(family, person)
            else:
                self.adult_service(family, person, area, kind)
        if 10 <= self.age_on(person, self.today) < 18 and self.rng.random() < 0.03:
            start = self.random_day(max(self.window_start, (person.dob or 0) + 10 * 365), self.today - 30)
            end = start + self.rng.randint(90, 700)
            inv = self.involve(family, person, area.camhs, area.camhs.team, start, end, 1.0, "CAMHS clinician")
            self.routine(person, inv, "appointment_attended", 8, words=True)
            self.routine(person, inv, "was_not_brought", 0.8)

    def area_periods(self, person: _Person) -> list[tuple[_Area, int, int | None]]:
        """Where a person lived, merged to council areas (GP practices and schools follow the area)."""
        periods: list[tuple[_Area, int, int | None]] = []
        for household, start, end in sorted(person.spells, key=lambda spell: spell[1]):
            if periods and periods[-1][0] is household.area:
                periods[-1] = (household.area, periods[-1][1], end)
            else:
                periods.append((household.area, start, end))
        if not periods:
            if person.dob is None:
                raise _NotReady("person.dob")
            periods.append((self.areas[0], person.dob, None))
        return periods

    def gp(self, family: _Family, person: _Person, area: _Area, start: int, end: int | None) -> None:
        practice = family.gp.get(area.index)
        if practice is None:
            practice = family.gp[area.index] = self.rng.choice(area.gps)
        inv = self.involve(family, person, practice, practice.team, start, end, 0.25, "Registered patient")
        age = self.age_on(person, self.today)
        rate = 1.6 if age < 5 else 0.7 if age < 18 else 1.1 if age < 65 else 2.4
        self.routine(person, inv, "appointment_attended", rate)
        self.routine(person, inv, "was_not_brought" if age < 16 else "did_not_attend", 0.06)
        if person.dob is None:
            raise _NotReady("person.dob")
        last = inv.end if inv.end is not None else self.today
        for offset in _IMMUNISATION_DAYS:
            day = person.dob + offset
            if max(inv.start, self.window_start) <= day <= last:
                self.event(person, inv, "immunisation", day)

    def health_visiting(self, family: _Family, person: _Person, area: _Area, start: int, end: int | None) -> None:
        if person.dob is None:
            raise _NotReady("person.dob")
        fifth = person.dob + int(5 * YEAR)
        stop = fifth if end is None or end > fifth else end
        if stop < self.window_start or start > stop:
            return
        hv = area.health_visiting
        inv = self.involve(
            family, person, hv, hv.team, start, stop if stop < self.today else None, 1.0, "Named health visitor"
        )
        last = inv.end if inv.end is not None else self.today
        missed = 0.04 * person.activity
        for n, offset in enumerate(_HEALTH_VISITING_SCHEDULE):
            day = person.dob + offset
            if max(start, self.window_start) <= day <= last:
                if self.rng.random() < missed:
                    self.event(person, inv, "was_not_brought", day)
                else:
                    self.event(person, inv, "home_visit" if n < 2 else "appointment_attended", day, words=n == 8)

    def schools(self, family: _Family, person: _Person, area: _Area, start: int, end: int | None) -> None:
        if person.dob is None:
            raise _NotReady("person.dob")
        born = datetime.date.fromordinal(person.dob)
        entry_year = born.year + 4 + (1 if born.month >= 9 else 0)
        primary_start = datetime.date(entry_year, 9, 1).toordinal()
        secondary_start = datetime.date(entry_year + 7, 9, 1).toordinal()
        leaves = datetime.date(entry_year + 12 + (2 if person.id % 5 < 2 else 0), 8, 31).toordinal()
        rng = self.rng
        named = 1.0 if family.school_concern else 0.02
        for phase, phase_start, phase_end in (
            ("primary", primary_start, secondary_start - 1),
            ("secondary", secondary_start, leaves),
        ):
            s, e = max(start, phase_start), phase_end if end is None else min(end, phase_end)
            if s > e or s > self.today or e < self.window_start:
                continue
            choices = family.primary if phase == "primary" else family.secondary
            school = choices.get(area.index)
            if school is None:
                school = choices[area.index] = rng.choice(area.primaries if phase == "primary" else area.secondaries)
            inv = self.involve(
                family,
                person,
                school,
                school.team,
                s,
                e if e < self.today else None,
                named,
                "Designated safeguarding lead",
            )
            if s >= self.window_start and (s == secondary_start or s > phase_start):
                self.event(person, inv, "school_move", s)
            concern = 3.0 if family.school_concern else 1.0
            self.routine(person, inv, "school_attendance", 0.15 * concern)
            self.routine(person, inv, "school_welfare", 0.06 * concern, words=True)
            if phase == "secondary":
                self.routine(person, inv, "exclusion", 0.03 * concern)
            if family.school_concern and rng.random() < 0.5:
                self.education_welfare(family, person, area, s, e)
        nursing_start = max(start, primary_start)
        nursing_end = min(end if end is not None else self.today, person.dob + 18 * 365)
        if nursing_start <= nursing_end and nursing_end >= self.window_start and nursing_start <= self.today:
            sn = area.school_nursing
            inv = self.involve(family, person, sn, sn.team, nursing_start, nursing_end, 0.15, "School nurse")
            self.routine(person, inv, "appointment_attended", 0.25, words=True)
            for year in range(entry_year, entry_year + 7):
                day = datetime.date(year, 10, 15).toordinal()
                if max(nursing_start, self.window_start) <= day <= nursing_end:
                    self.event(person, inv, "immunisation", day)

    def education_welfare(self, family: _Family, child: _Person, area: _Area, start: int, end: int) -> None:
        """An education welfare officer following up a pupil whose attendance worries the school."""
        first = self.random_day(max(start, self.window_start), min(end, self.today))
        service = area.education_welfare
        inv = self.involve(
            family,
            child,
            service,
            service.team,
            first,
            first + self.rng.randint(60, 365),
            1.0,
            "Education welfare officer",
        )
        self.routine(child, inv, "school_attendance", 3)
        self.routine(child, inv, "home_visit", 2, words=True)

    def emergency_care(self, family: _Family, person: _Person, area: _Area, start: int, end: int | None) -> None:
        if person.dob is None:
            raise _NotReady("person.dob")
        age = self.age_on(person, self.today)
        rate = (0.45 if age < 5 else 0.2 if age < 18 else 0.28 if age < 65 else 0.5) * person.activity
        first, last = max(start, self.window_start), end if end is not None else self.today
        count = self.times(rate, first, last)
        if not count:
            return
        days = sorted(self.rng.randint(first, last) for _ in range(count))
        hospital = area.hospital
        close = days[-1] + 14
        inv = self.involve(family, person, hospital, hospital.team, days[0], close, 0.0, "Emergency department")
        for day in days:
            self.event(person, inv, "emergency_attendance", day)
            if self.rng.random() < 0.2:
                self.event(person, inv, "hospital_admission", day)

    def birth(self, family: _Family, baby: _Person) -> None:
        """Midwifery's record of the pregnancy (on the mother) and of the birth (on the baby)."""
        if baby.dob is None:
            raise _NotReady("baby.dob")
        area = self.area_on(baby, baby.dob)
        midwifery = area.midwifery
        inv = self.involve(family, baby, midwifery, midwifery.team, baby.dob, baby.dob + 10, 1.0, "Midwife")
        self.event(baby, inv, "birth", baby.dob)

    def antenatal(self, family: _Family, unborn: _Person) -> None:
        if unborn.edd is None:
            raise _NotReady("unborn.edd")
        booked = min(self.today - 1, unborn.edd - self.rng.randint(180, 230))
        area = family.area if family.home is None else family.home.area
        midwifery = area.midwifery
        inv = self.involve(family, unborn, midwifery, midwifery.team, booked, None, 1.0, "Midwife")
        self.event(unborn, inv, "antenatal_booking", booked)
        for _ in range(self.times(12, booked, self.today)):
            self.event(unborn, inv, "appointment_attended", self.random_day(booked, self.today))

    def adult_service(self, family: _Family, person: _Person, area: _Area, kind: str) -> None:
        service = area.adult_mental_health if kind == "adult_mental_health" else area.substance_misuse
        start = self.random_day(self.window_start, self.today - 30)
        end = start + self.rng.randint(120, 1100)
        inv = self.involve(family, person, service, service.team, start, end, 1.0, "Care coordinator")
        event_kind = "mental_health_contact" if kind == "adult_mental_health" else "substance_misuse_contact"
        self.routine(person, inv, event_kind, 8)
        self.routine(person, inv, "did_not_attend", 1.5)

    def offending(self, family: _Family, person: _Person) -> None:
        """Arrests and a spell of probation supervision (youth justice for under-18s)."""
        rng = self.rng
        earliest = max(self.window_start, (person.dob or 0) + 14 * 365)
        if earliest > self.today - 30:
            return
        start = self.random_day(earliest, self.today - 30)
        for _ in range(rng.randint(1, 3)):
            day = self.random_day(start, self.today)
            self.event(person, self.police_involvement(family, person, day), "arrest", day)
        area = self.area_on(person, start)
        service = area.probation if self.age_on(person, start) >= 18 else area.youth_justice
        inv = self.involve(
            family, person, service, service.team, start, start + rng.randint(180, 720), 1.0, "Offender manager"
        )
        self.routine(person, inv, "probation_contact", 10)
        self.routine(person, inv, "did_not_attend", 1)
