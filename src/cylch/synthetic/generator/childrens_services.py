"""Children's services and the planted trajectories: the pathway chosen for each family (a contact,
child protection registration, care, domestic abuse) at rates from Wales, and the trajectories planted
for linkage, the single view and the cumulative-risk rules to find (domestic abuse, missed appointments, soft
concerns, a new adult with a history, co-occurring harms, missing episodes with exploitation), each with the
rule meant to find it; and near-misses that look like a pattern but should not make its rule fire.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

from cylch.synthetic.generator.finishing import _Finishing
from cylch.synthetic.generator.people import _People
from cylch.synthetic.generator.records import _Area, _Family, _Involvement, _Person
from cylch.synthetic.names import HERITAGES

# The concern behind a registration, by the register's category (MUL: more than one).
REGISTER_CATEGORIES: dict[str, tuple[str, ...]] = {
    "NEG": ("neglect",),
    "EMO": ("emotional_abuse",),
    "PHY": ("physical_abuse",),
    "SAB": ("sexual_abuse",),
    "MUL": ("neglect", "emotional_abuse"),
}
UNDER_FIVE_DAYS = 5 * 365 - 200  # young enough to stay under five while the pattern builds


def _nothing() -> None:
    """The pathway of most families: nothing beyond everyday services."""


class _ChildrensServices(_People, _Finishing):
    """Builds on people (foster carers and their household) and on finishing (the carers are finished too)."""

    def choose_pathway(
        self, family: _Family, mother: _Person, father: _Person | None, new_adult: _Person | None
    ) -> Callable[[], None]:
        """Pick what children's services and the planted trajectories do to this family, at rates from Wales.

        Chosen before the everyday services are generated (a school with concerns names its safeguarding
        lead; an adult's mental health service needs its flag), and run after them (a concern is raised
        in the record the school already holds).
        """
        rng = self.rng
        for adult in (mother, father):
            if adult is not None and adult.dob is not None:
                self.adult_risks(adult, 0.07, 0.02, 0.01)
        roll = rng.random()
        father_at_home = father is not None and bool(father.spells) and father.spells[-1][0] is family.home
        if new_adult is not None and rng.random() < 0.3:
            family.school_concern = True
            return partial(self.plant_new_adult, family, mother, new_adult)
        if roll < 0.012:
            return partial(self.looked_after, family)
        if roll < 0.034:
            return partial(self.registration, family)
        if roll < 0.13:
            return partial(self.contact, family)
        if roll < 0.16:
            kind = rng.choice(
                ("soft_concerns", "missed_appointments", "domestic_abuse", "co_occurring_harms", "missing_exploitation")
            )
            family.school_concern = True
            if kind == "domestic_abuse" and father is not None and father_at_home:
                return partial(self.plant_domestic_abuse, family, mother, father)
            if kind == "co_occurring_harms" and father is not None and father_at_home and self.under_five(family):
                return partial(self.plant_co_occurring_harms, family, mother, father)
            if kind == "missed_appointments" and self.under_five(family):
                return partial(self.plant_missed_appointments, family)
            if kind == "missing_exploitation" and self.teenagers(family):
                return partial(self.plant_missing_exploitation, family)
            return partial(self.plant_soft_concerns, family)
        if roll < 0.175:
            return partial(self.plant_near_miss, family)
        if roll < 0.20 and father is not None and father_at_home:
            return partial(self.domestic_abuse, family, mother, father, rng.randint(1, 2), self.random_day())
        return _nothing

    def adult_risks(self, adult: _Person, mental_health: float, substance_misuse: float, offending: float) -> None:
        rng = self.rng
        if rng.random() < mental_health:
            adult.adult_services.append("adult_mental_health")
        if rng.random() < substance_misuse:
            adult.adult_services.append("substance_misuse")
        if rng.random() < offending:
            adult.adult_services.append("offending")

    def cs_involvement(self, family: _Family, child: _Person, team: str, start: int, end: int | None) -> _Involvement:
        area = self.area_on(child, start)
        cs = area.childrens_services
        return self.involve(family, child, cs, cs.teams[team], start, end, 1.0, "Allocated social worker")

    def referrer(self, family: _Family, child: _Person, day: int) -> _Involvement | None:
        """The agency most likely to have raised a concern about this child on this day."""
        area = self.area_on(child, day)
        age = self.age_on(child, day)
        if 4.5 <= age < 16:
            service = family.primary.get(area.index) if age < 11 else family.secondary.get(area.index)
            if service is not None:
                return self.involve(
                    family,
                    child,
                    service,
                    service.team,
                    day,
                    None,
                    1.0,
                    "Designated safeguarding lead",
                    record_only=True,
                )
        if 0 <= age < 5 and area.health_visiting is not None:
            hv = area.health_visiting
            return self.involve(family, child, hv, hv.team, day, None, 1.0, "Health visitor", record_only=True)
        return None

    def contact(self, family: _Family) -> None:
        """A concern that goes to the front door and is closed: advice, early help or an assessment."""
        rng = self.rng
        day = self.random_day(self.window_start, self.today - 3)
        kids = [c for c in family.children if c.dob is not None and c.dob <= day]
        outcome = rng.random()
        for child in kids:
            ref = self.referrer(family, child, day)
            if ref is not None:
                self.event(child, ref, "concern", day, words=True, categories=self.contact_categories())
            if outcome < 0.4:
                end: int | None = min(self.today, day + rng.randint(1, 5))
                inv = self.cs_involvement(family, child, "front_door", day, end)
                self.event(child, inv, "referral", day)
                self.event(child, inv, "threshold_decision", day + 1)
                self.event(child, inv, "case_closed", end or day)
                continue
            length = rng.randint(60, 400)
            end = day + length if day + length < self.today else None
            inv = self.cs_involvement(family, child, "family_support", day, end)
            self.event(child, inv, "referral", day)
            self.event(child, inv, "threshold_decision", day + 1)
            if outcome > 0.75:
                self.event(child, inv, "assessment", min(self.today, day + rng.randint(10, 42)), words=True)
            for _ in range(self.times(12, day, end or self.today)):
                self.event(child, inv, "home_visit", self.random_day(day, end or self.today), words=True)
            if end is not None:
                self.event(child, inv, "case_closed", end)

    def contact_categories(self) -> tuple[str, ...]:
        """What a concern that reaches the front door is about, most often neglect or emotional harm."""
        return tuple(
            sorted(
                set(
                    self.rng.choices(
                        ("neglect", "emotional_abuse", "parental_mental_health", "parental_substance_misuse",
                         "poor_home_conditions", "physical_abuse"),
                        (30, 25, 15, 10, 10, 10),
                        k=self.rng.randint(1, 2),
                    )
                )
            )
        )  # fmt: skip

    def registration(self, family: _Family) -> None:
        """A section 47 enquiry leading to the register for a sibling group (the unborn included)."""
        rng = self.rng
        day = self.random_day(self.window_start, self.today - 20)
        category = rng.choices(("NEG", "EMO", "PHY", "SAB", "MUL"), (45, 30, 12, 4, 9))[0]
        length = rng.randint(150, 600)
        ends = day + length if day + length < self.today - 1 else None
        for child in family.children:
            born = child.dob is not None and child.dob <= day
            unborn_now = child.dob is None and ends is None
            if not (born or unborn_now):
                continue
            start = day if born else self.today - rng.randint(1, 15)
            ref = self.referrer(family, child, start) if born else None
            if ref is not None:
                self.event(child, ref, "concern", start, words=True, categories=REGISTER_CATEGORIES[category])
            inv = self.cs_involvement(family, child, "safeguarding", start, ends)
            for kind, offset in (
                ("referral", 0),
                ("threshold_decision", 1),
                ("strategy_discussion", 2),
                ("section_47", 8),
                ("conference", 14),
                ("registered", 14),
            ):
                self.event(child, inv, kind, min(self.today, start + offset), words=kind == "conference")
            last = ends or self.today
            registered_on = min(self.today, start + 14)
            self.status(child, "cp_register", category, self.area_on(child, start), registered_on, ends)
            for _ in range(self.times(20, registered_on, last)):
                self.event(child, inv, "home_visit", self.random_day(registered_on, last), words=True)
            review = registered_on + 90
            while review < last:
                self.event(child, inv, "conference", review, words=True)
                review += 182
            if ends is not None:
                self.event(child, inv, "deregistered", ends)

    def looked_after(self, family: _Family) -> None:
        """Children taken into care and placed with foster carers, who get their own household."""
        rng = self.rng
        earliest = max((family.children[0].dob or self.today) + 30, self.today - 8 * 365)
        if earliest > self.today - 20:
            return
        placed = rng.randint(earliest, self.today - 20)
        kids = [c for c in family.children if c.dob is not None and c.dob < placed]
        ceased = placed + rng.randint(200, 1500)
        ended = ceased if ceased < self.today and rng.random() < 0.15 else None
        carers = _Family(family.area, HERITAGES["welsh"], "eng")
        foster_home = self.new_household(family.area)
        carers.home = foster_home
        surname = self.surname(carers.heritage, "male")
        carer_one = self.person(carers, "female", rng.uniform(35, 62), surname)
        carer_two = self.person(carers, "male", rng.uniform(35, 64), surname)
        carers_since = placed - rng.randint(365, 5000)
        for carer in (carer_one, carer_two):
            self.live(carer, foster_home, carers_since)
        self.relate(carer_one, carer_two, "partner", carers_since)
        self.finish(carers)
        for child in kids:
            # Leave the family home the day before the placement and come back if care ends.
            household, start, end = child.spells[-1]
            if start >= placed or end is not None:
                continue
            child.spells[-1] = (household, start, placed - 1)
            self.close_row("household_membership", 2, child.id, 1, household.id, placed - 1)
            self.live(child, foster_home, placed, ended)
            if ended is not None:
                self.live(child, household, ended + 1)
            self.relate(child, carer_one, "foster_carer", placed, ended)
            self.relate(child, carer_two, "foster_carer", placed, ended)
            inv = self.cs_involvement(family, child, "looked_after", placed, ended)
            if placed >= self.window_start:
                self.event(child, inv, "strategy_discussion", placed - 1)
                self.event(child, inv, "became_looked_after", placed, words=True)
            self.status(child, "looked_after", "", family.area, placed, ended)
            last = ended or self.today
            for _ in range(self.times(8, max(placed, self.window_start), last)):
                self.event(child, inv, "home_visit", self.random_day(max(placed, self.window_start), last), words=True)
            if ended is not None:
                self.event(child, inv, "ceased_looked_after", ended)

    def status(self, child: _Person, kind: str, category: str, area: _Area, start: int, end: int | None) -> None:
        self.emit(
            "statutory_status",
            (self.new_id("statutory_status"), child.id, kind, category, area.id, self.day(start), self.opt_day(end)),
        )

    def domestic_abuse(self, family: _Family, victim: _Person, perpetrator: _Person, times: int, first: int) -> None:
        """Police call-outs to a couple, each notified to the front door for the children present."""
        rng = self.rng
        day = first
        for _ in range(times):
            if day > self.today:
                break
            for adult in (victim, perpetrator):
                self.event(adult, self.police_involvement(family, adult, day), "domestic_abuse_incident", day)
            for child in family.children:
                if child.dob is not None and child.dob <= day:
                    police = self.police_involvement(family, child, day)
                    self.event(child, police, "concern", day, categories=("domestic_abuse",))
            day += rng.randint(20, 120)
        if rng.random() < 0.5:
            self.domestic_abuse_support(family, victim, first)

    def domestic_abuse_support(self, family: _Family, victim: _Person, referred: int) -> None:
        """A third-sector outreach worker supporting the victim for a few months after a call-out."""
        area = self.area_on(victim, referred)
        service = area.third_sector
        end = referred + self.rng.randint(60, 240)
        inv = self.involve(family, victim, service, service.team, referred, end, 1.0, "Domestic abuse support worker")
        self.routine(victim, inv, "home_visit", 12)

    def plant(
        self,
        family: _Family,
        kind: str,
        started: int,
        description: str,
        people: list[_Person],
        *,
        rule: str,
        near_miss: bool = False,
    ) -> None:
        """Record what was planted, with the rule meant to find it (or, for a near-miss, not to fire on it)."""
        ids = json.dumps([p.id for p in people])
        self.emit(
            "planted_trajectory",
            (
                self.new_id("planted_trajectory"),
                self.config.run_id,
                family.home.id,
                kind,
                self.day(started),
                description,
                ids,
                rule,
                near_miss,
            ),
        )

    def plant_domestic_abuse(self, family: _Family, mother: _Person, father: _Person) -> None:
        rng = self.rng
        start = self.random_day(self.window_start, self.today - 365)
        times = rng.randint(3, 6)
        self.domestic_abuse(family, mother, father, times, start)
        family.school_concern = True
        self.plant(
            family,
            "domestic_abuse",
            start,
            f"{times} domestic-abuse call-outs to the home, children present.",
            [mother, father, *family.children],
            rule="weighted-accumulation",
        )

    def plant_missed_appointments(self, family: _Family) -> None:
        rng = self.rng
        young = self.under_five(family)
        start = max(self.window_start, max(c.dob or 0 for c in young) + 30)
        start = self.random_day(start, max(start, self.today - 120))
        count = rng.randint(3, 6)
        for child in young:
            area = self.area_on(child, start)
            services = [s for s in (area.health_visiting, family.gp.get(area.index), area.hospital) if s is not None]
            for n in range(count):
                day = min(self.today, start + n * rng.randint(20, 60))
                service = services[n % len(services)]
                inv = self.involve(family, child, service, service.team, day, None, 0.0, "", record_only=True)
                self.event(child, inv, "was_not_brought", day)
        self.plant(
            family,
            "missed_appointments",
            start,
            f"{count} missed health appointments ('was not brought').",
            young,
            rule="wnb-young-or-registered",
        )

    def plant_soft_concerns(self, family: _Family) -> None:
        rng = self.rng
        kids = [c for c in family.children if c.dob is not None]
        start = self.random_day(max(self.window_start, max(c.dob or 0 for c in kids)), self.today - 90)
        count = rng.randint(4, 8)
        family.school_concern = True
        for child in kids:
            for n in range(count):
                day = min(self.today, start + n * rng.randint(15, 70))
                # Two agencies take turns: the school or health visitor (the hospital if neither), and the GP.
                area = self.area_on(child, day)
                ref = self.referrer(family, child, day) if n % 2 == 0 else None
                if ref is None:
                    service = area.hospital if n % 2 == 0 else (family.gp.get(area.index) or area.gps[0])
                    ref = self.involve(family, child, service, service.team, day, None, 0.0, "", record_only=True)
                self.event(child, ref, "information_sharing", day, words=True, categories=self.contact_categories())
        self.plant(
            family,
            "soft_concerns",
            start,
            f"{count} below-threshold concerns shared over a few months by two agencies.",
            kids,
            rule="below-threshold-accumulating",
        )

    def plant_new_adult(self, family: _Family, mother: _Person, adult: _Person) -> None:
        """A partner with arrests and probation supervision behind him moves in with a lone parent."""
        rng = self.rng
        joined = adult.spells[-1][1]
        history_start = max(self.window_start, joined - 3 * 365)
        for _ in range(rng.randint(2, 4)):
            day = self.random_day(history_start, joined)
            self.event(adult, self.police_involvement(family, adult, day), "arrest", day)
        abuse = self.random_day(history_start, joined)
        self.event(adult, self.police_involvement(family, adult, abuse), "domestic_abuse_incident", abuse)
        area = self.area_on(adult, joined - 1)
        probation = self.involve(
            family,
            adult,
            area.probation,
            area.probation.team,
            history_start,
            min(self.today, joined + 365),
            1.0,
            "Offender manager",
        )
        for _ in range(self.times(10, history_start, probation.end or self.today)):
            self.event(adult, probation, "probation_contact", self.random_day(history_start, probation.end))
        kids = [c for c in family.children if c.dob is not None and c.dob < joined]
        for child in kids:
            ref = self.referrer(family, child, min(self.today, joined + rng.randint(10, 60)))
            if ref is not None:
                self.event(child, ref, "joined_household", min(self.today, joined + rng.randint(5, 30)))
                self.event(child, ref, "information_sharing", min(self.today, joined + rng.randint(30, 90)), words=True)
        family.school_concern = True
        # The rule looks for a baby under one or an unborn child while the adult is new to the household: without
        # one this is a near-miss for it.
        baby = any(c.dob is None or joined - 300 <= c.dob <= min(self.today, joined + 300) for c in family.children)
        self.plant(
            family,
            "new_adult_with_history",
            joined,
            "A new partner with domestic abuse, arrests and probation supervision behind him moved into the household.",
            [adult, mother, *family.children],
            rule="violent-adult-joins-baby",
            near_miss=not baby,
        )

    def under_five(self, family: _Family) -> list[_Person]:
        return [c for c in family.children if c.dob is not None and self.today - c.dob < UNDER_FIVE_DAYS]

    def teenagers(self, family: _Family) -> list[_Person]:
        return [c for c in family.children if c.dob is not None and 11 * 365 <= self.today - c.dob < 17 * 365]

    def health_service(self, family: _Family, child: _Person, day: int, n: int) -> _Involvement:
        """The health service whose appointment a young child missed: health visiting, the GP or the hospital."""
        area = self.area_on(child, day)
        services = [s for s in (area.health_visiting, family.gp.get(area.index), area.hospital) if s is not None]
        service = services[n % len(services)]
        return self.involve(family, child, service, service.team, day, None, 0.0, "", record_only=True)

    def plant_co_occurring_harms(self, family: _Family, mother: _Person, father: _Person) -> None:
        """Within a few months: a domestic-abuse call-out, a school's or health visitor's concern about the home's
        conditions, and a young child not brought to a health appointment; each agency sees only its own."""
        rng = self.rng
        young = self.under_five(family)
        start = self.random_day(max(self.window_start, max(c.dob or 0 for c in young) + 30), self.today - 30)
        self.domestic_abuse(family, mother, father, 1, start)
        kids = [c for c in family.children if c.dob is not None and c.dob <= start]
        day = min(self.today, start + rng.randint(5, 150))
        child = rng.choice(kids)
        ref = self.referrer(family, child, day) or self.health_service(family, child, day, 1)
        self.event(child, ref, "concern", day, words=True, categories=("poor_home_conditions",))
        missed = min(self.today, start + rng.randint(5, 150))
        self.event(young[0], self.health_service(family, young[0], missed, 0), "was_not_brought", missed)
        self.plant(
            family,
            "co_occurring_harms",
            start,
            "A domestic-abuse call-out, a concern about the home's conditions and a missed health appointment.",
            [mother, father, *family.children],
            rule="wnb-domestic-abuse-home-conditions",
        )

    def plant_missing_exploitation(self, family: _Family) -> None:
        """A teenager goes missing repeatedly and a school or the police raise a criminal or sexual exploitation
        concern within the same months."""
        rng = self.rng
        teen = rng.choice(self.teenagers(family))
        start = self.random_day(max(self.window_start, (teen.dob or 0) + 11 * 365), self.today - 30)
        for _ in range(rng.randint(2, 4)):
            day = min(self.today, start + rng.randint(0, 200))
            self.event(teen, self.police_involvement(family, teen, day), "missing_episode", day)
        day = min(self.today, start + rng.randint(0, 200))
        ref = self.referrer(family, teen, day) or self.police_involvement(family, teen, day)
        kind = rng.choice(("criminal_exploitation", "sexual_exploitation"))
        self.event(teen, ref, "concern", day, words=True, categories=(kind,))
        self.plant(
            family,
            "missing_exploitation",
            start,
            "Repeated missing episodes and an exploitation concern.",
            [teen],
            rule="missing-and-exploitation",
        )

    def plant_near_miss(self, family: _Family) -> None:
        """Something that looks like a rule's pattern but falls short of it, so a rule that fires on it is wrong:
        one missed appointment for a young child; two for a school-age child not on the register; concerns from
        only one agency; missing episodes with no exploitation concern."""
        rng = self.rng
        young, teens = self.under_five(family), self.teenagers(family)
        school_age = [c for c in family.children if c.dob is not None and 6 * 365 <= self.today - c.dob < 11 * 365]
        choices = [name for name, fits in (("one_missed", young), ("school_age", school_age),
                                           ("one_agency", school_age), ("missing_only", teens)) if fits]  # fmt: skip
        if not choices:
            return
        choice = rng.choice(choices)
        start = self.random_day(self.window_start, self.today - 30)
        if choice == "one_missed":
            child = young[0]
            start = max(start, (child.dob or 0) + 30)
            self.event(child, self.health_service(family, child, start, 0), "was_not_brought", start)
            self.plant(family, "missed_appointments", start, "One missed health appointment.", [child],
                       rule="wnb-young-or-registered", near_miss=True)  # fmt: skip
        elif choice == "school_age":
            child = school_age[0]
            for n in range(2):
                day = min(self.today, start + n * rng.randint(20, 60))
                self.event(child, self.health_service(family, child, day, 1), "was_not_brought", day)
            self.plant(family, "missed_appointments", start, "Two missed appointments, a school-age child.", [child],
                       rule="wnb-young-or-registered", near_miss=True)  # fmt: skip
        elif choice == "one_agency":
            child = school_age[0]
            ref = self.referrer(family, child, start)
            if ref is None:
                return
            for n in range(3):
                day = min(self.today, start + n * rng.randint(15, 60))
                self.event(child, ref, "information_sharing", day, words=True, categories=self.contact_categories())
            self.plant(family, "soft_concerns", start, "Three below-threshold concerns, all from the school.", [child],
                       rule="below-threshold-accumulating", near_miss=True)  # fmt: skip
        else:
            teen = teens[0]
            for _ in range(rng.randint(2, 3)):
                day = min(self.today, start + rng.randint(0, 200))
                self.event(teen, self.police_involvement(family, teen, day), "missing_episode", day)
            self.plant(family, "missing_exploitation", start, "Missing episodes, no exploitation concern.", [teen],
                       rule="missing-and-exploitation", near_miss=True)  # fmt: skip
