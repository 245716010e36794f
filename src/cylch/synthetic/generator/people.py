"""The building blocks of a household: a person (names, heritage, NHS number), a household and its
address, who lives where and when, and how people are related.
"""

from __future__ import annotations

from cylch.people.validators import nhs_check_digit
from cylch.synthetic.generator.base import _GeneratorBase
from cylch.synthetic.generator.records import _Area, _Family, _Household, _Person
from cylch.synthetic.names import HERITAGES, Heritage
from cylch.synthetic.places import INWARD_LETTERS, STREET_NAMES


class _People(_GeneratorBase):
    """Used by the households and by children's services (foster carers get a household of their own)."""

    def heritage_for(self, area: _Area) -> tuple[Heritage, str]:
        rng = self.rng
        if rng.random() < area.spec.diversity:
            heritage = rng.choices(self.minorities, self.minority_weights)[0]
            return heritage, heritage.language
        heritage = HERITAGES["welsh"] if rng.random() < 0.8 else HERITAGES["british"]
        language = "cym" if rng.random() < area.spec.welsh_first_language else "eng"
        return heritage, language

    def new_household(self, area: _Area) -> _Household:
        rng = self.rng
        town = rng.choices(area.spec.towns, area.town_weights)[0]
        district = rng.choice(town.districts)
        street = rng.randrange(len(STREET_NAMES))
        number = rng.randint(1, 140)
        code = (street * 31 + number // 12) * 7 + len(town.name)
        postcode = f"{district} {code % 9 + 1}{INWARD_LETTERS[code % 20]}{INWARD_LETTERS[code // 20 % 20]}"
        household = _Household(self.new_id("household"), area, f"{number} {STREET_NAMES[street]}", town.name, postcode)
        self.emit("household", (household.id, household.line1, "", household.town, postcode, area.id, self.now_text))
        return household

    def person(
        self, family: _Family, sex: str, age: float | None, surname: str, heritage: Heritage | None = None
    ) -> _Person:
        rng = self.rng
        person = _Person()
        person.id = self.new_id("person")
        person.sex = sex
        person.heritage = heritage or family.heritage
        person.language = family.language
        names = person.heritage.female if sex == "female" else person.heritage.male
        person.given = rng.choice(names)
        if person.heritage.code in ("welsh", "british") and rng.random() < 0.4:
            person.middle = rng.choice(names)
        person.family = surname
        if age is not None:
            person.dob = self.dob_for_age(age)
            adult = age >= 18
            if not (person.heritage.code not in ("welsh", "british") and adult and rng.random() < 0.08):
                person.nhs = self.nhs_number()
            person.interpreter = adult and person.language not in ("eng", "cym") and rng.random() < 0.4
        person.activity = rng.expovariate(1.0) * 0.8 + 0.2
        family.people.append(person)
        self.people_made += 1
        return person

    def nhs_number(self) -> str:
        """The next NHS number in the 999 test range (spilling to 998, 997... beyond ~900,000 people)."""
        while True:
            counter = self.nhs_counter
            self.nhs_counter += 1
            block, offset = divmod(counter, 1_000_000)
            body = f"{999 - block}{(offset * 7919 + 12345) % 1_000_000:06d}"
            digit = nhs_check_digit(body)
            if digit is not None:
                return f"{body}{digit}"

    def surname(self, heritage: Heritage, sex: str) -> str:
        index = self.rng.randrange(len(heritage.surnames))
        if sex == "female" and heritage.female_surnames:
            return heritage.female_surnames[index]
        return heritage.surnames[index]

    def female_form(self, heritage: Heritage, surname: str) -> str:
        if heritage.female_surnames and surname in heritage.surnames:
            return heritage.female_surnames[heritage.surnames.index(surname)]
        return surname

    def live(self, person: _Person, household: _Household, start: int, end: int | None = None) -> None:
        start = max(start, person.dob or start)
        if end is not None and end < start:
            return
        person.spells.append((household, start, end))
        self.emit(
            "household_membership",
            (self.new_id("household_membership"), household.id, person.id, self.day(start), self.opt_day(end)),
        )

    def relate(
        self, person: _Person, relative: _Person, kind: str, start: int | None = None, end: int | None = None
    ) -> None:
        """`relative` is the <kind> of `person` (symmetric kinds are stored once, lower id first)."""
        if kind in ("sibling", "half_sibling", "partner") and relative.id < person.id:
            person, relative = relative, person
        if end is not None and start is not None and end < start:
            end = start
        self.emit(
            "relationship",
            (self.new_id("relationship"), person.id, relative.id, kind, self.opt_day(start), self.opt_day(end)),
        )

    def close_row(self, table: str, column: int, value: int, other: int, other_value: int, end: int) -> None:
        """Give the latest open-ended row matching two columns an end date (the last column)."""
        rows = self.batch.rows[table]
        for i in range(len(rows) - 1, -1, -1):
            row = rows[i]
            if row[column] == value and row[other] == other_value:
                rows[i] = (*row[:-1], self.day(end))
                return
