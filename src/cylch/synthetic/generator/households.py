"""Households: adults living alone or together, parents with grown children, families with children
(separations, step-parents, half-siblings, an unborn baby, a move, a partner joining or leaving) and
kinship carers. Each family is then given its pathway through children's services and finished.
"""

from __future__ import annotations

from cylch.synthetic.generator.childrens_services import _ChildrensServices
from cylch.synthetic.generator.records import _Area, _Family, _Person


class _Households(_ChildrensServices):
    """The top of the stack: a household uses every other stage (people, pathways, records, finishing)."""

    def household_group(self) -> None:
        """One household and the relatives who live elsewhere (absent parents, foster carers)."""
        rng = self.rng
        area = rng.choices(self.areas, self.area_weights)[0]
        roll = rng.random()
        if roll < 0.30:
            self.adults_only(area, 1)
        elif roll < 0.58:
            self.adults_only(area, 2)
        elif roll < 0.66:
            self.adults_with_grown_children(area)
        elif roll < 0.88:
            self.family_with_children(area, lone=False)
        elif roll < 0.97:
            self.family_with_children(area, lone=True)
        elif roll < 0.993:
            self.family_with_children(area, lone=rng.random() < 0.3, grandparent=True)
        else:
            self.kinship_family(area)

    def adults_only(self, area: _Area, size: int) -> None:
        rng = self.rng
        heritage, language = self.heritage_for(area)
        family = _Family(area, heritage, language)
        home = self.new_household(area)
        family.home = home
        family.social_housing = rng.random() < 0.15
        since = self.today - rng.randint(60, 25 * 365)
        age = rng.triangular(18, 92, 45)
        first = self.person(family, rng.choice(("female", "male")), age, "")
        first.family = self.surname(heritage, first.sex)
        self.live(first, home, since)
        if size == 2:
            other_sex = "male" if first.sex == "female" else "female"
            if rng.random() < 0.04:
                other_sex = first.sex
            partner = self.person(family, other_sex, max(18.0, age + rng.uniform(-6, 6)), "")
            partner.family = (
                self.female_form(heritage, first.family) if rng.random() < 0.6 else self.surname(heritage, partner.sex)
            )
            self.live(partner, home, since)
            self.relate(first, partner, "partner", since)
        for adult in family.people:
            self.adult_risks(adult, 0.03, 0.01, 0.01)
        self.finish(family)

    def adults_with_grown_children(self, area: _Area) -> None:
        rng = self.rng
        heritage, language = self.heritage_for(area)
        family = _Family(area, heritage, language)
        home = self.new_household(area)
        family.home = home
        family.social_housing = rng.random() < 0.2
        surname = self.surname(heritage, "male")
        since = self.today - rng.randint(8 * 365, 25 * 365)
        mother = self.person(family, "female", rng.uniform(45, 65), self.female_form(heritage, surname))
        father = self.person(family, "male", self.age_on(mother, self.today) + rng.uniform(-3, 5), surname)
        for parent in (mother, father):
            self.live(parent, home, since)
        self.relate(mother, father, "partner", since)
        grown = []
        for _ in range(rng.choice((1, 1, 2))):
            child_age = min(self.age_on(mother, self.today) - 19, rng.uniform(18, 30))
            child = self.person(family, rng.choice(("female", "male")), max(18.0, child_age), "")
            child.family = self.female_form(heritage, surname) if child.sex == "female" else surname
            self.live(child, home, since)
            self.relate(child, mother, "parent")
            self.relate(child, father, "parent")
            grown.append(child)
        if len(grown) == 2:
            self.relate(grown[0], grown[1], "sibling")
        self.finish(family)

    def absent_parent(self, family: _Family, sex: str, age: float, surname: str, since: int) -> _Person:
        """A parent living elsewhere: in their own household, sometimes in another council area."""
        rng = self.rng
        area = family.area if rng.random() < 0.75 else rng.choice(self.areas)
        parent = self.person(family, sex, max(17.0, age), surname)
        self.live(parent, self.new_household(area), min(since, self.today))
        return parent

    def child_ages(self) -> list[float]:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), (40, 38, 15, 5, 2))[0]
        ages = [rng.uniform(0, 17.9)]
        for _ in range(count - 1):
            age = ages[-1] - rng.uniform(1, 4.5)
            if age < 0:
                break
            ages.append(age)
        return ages

    def family_with_children(self, area: _Area, *, lone: bool, grandparent: bool = False) -> None:
        rng = self.rng
        heritage, language = self.heritage_for(area)
        family = _Family(area, heritage, language)
        family.social_housing = rng.random() < (0.45 if lone else 0.15)
        ages = self.child_ages()
        young_parent = rng.random() < 0.1
        mother_age = ages[0] + (rng.uniform(16, 20) if young_parent else rng.uniform(20, 38))
        mother = self.person(family, "female", mother_age, self.surname(heritage, "female"))
        # Fathers: children[:split] have a father living elsewhere; children[split:] the second father
        # (lone parent) or the mother's current partner (couple). A split inside the list makes half-siblings.
        blended = not lone and rng.random() < 0.18
        if lone:
            split = rng.randint(1, len(ages) - 1) if len(ages) >= 2 and rng.random() < 0.4 else len(ages)
        elif blended:
            split = rng.randint(1, len(ages))
        else:
            split = 0
        first_father_surname = self.surname(heritage, "male")
        children = [self.person(family, rng.choice(("female", "male")), age, first_father_surname) for age in ages]
        family.children = children
        youngest_dob = children[-1].dob or self.today
        eldest_dob = children[0].dob or self.today
        home = self.new_household(area)
        family.home = home
        since = min(eldest_dob, self.today - rng.randint(200, 12 * 365))
        if since < eldest_dob - 3 * 365:
            since = eldest_dob - rng.randint(0, 3 * 365)

        first_father: _Person | None = None
        current_partner: _Person | None = None
        partner_from = since
        if split > 0:
            separated = min(self.today - 30, (children[split - 1].dob or self.today) + rng.randint(60, 900))
            first_father = self.absent_parent(
                family, "male", mother_age + rng.uniform(-2, 6), first_father_surname, separated
            )
            for child in children[:split]:
                self.relate(child, first_father, "parent")
            self.relate(mother, first_father, "partner", eldest_dob - rng.randint(200, 1500), separated)
            if lone and split < len(children):
                second_surname = self.surname(heritage, "male")
                second = self.absent_parent(
                    family,
                    "male",
                    mother_age + rng.uniform(-3, 5),
                    second_surname,
                    min(self.today - 10, youngest_dob + rng.randint(30, 700)),
                )
                for child in children[split:]:
                    child.family = second_surname
                    self.relate(child, second, "parent")
            elif blended:
                partner_from = min(self.today - 20, separated + rng.randint(30, 700))
                if split < len(children):
                    partner_from = min(partner_from, (children[split].dob or self.today) - 280)
                partner_from = max(partner_from, since)
        if not lone:
            surname = self.surname(heritage, "male")
            current_partner = self.person(family, "male", mother_age + rng.uniform(-3, 7), surname)
            married = rng.random() < 0.5
            for child in children[split:]:
                child.family = surname
                self.relate(child, current_partner, "parent")
            for child in children[:split]:
                kind = "step_parent" if married else "partner_of_parent"
                self.relate(child, current_partner, kind, max(partner_from, child.dob or partner_from))
                if married and rng.random() < 0.3:
                    # Took the step-parent's surname: older records still hold the previous one.
                    child.prev_family, child.prev_family_until = child.family, max(partner_from, child.dob or 0)
                    child.family = surname
            if married:
                mother.prev_family, mother.prev_family_until = mother.family, partner_from
                mother.family = self.female_form(heritage, surname)
            self.relate(mother, current_partner, "partner", partner_from)
        for i, child in enumerate(children):
            self.relate(child, mother, "parent")
            for j in range(i + 1, len(children)):
                self.relate(child, children[j], "sibling" if (i < split) == (j < split) else "half_sibling")

        members = [mother, *children]
        if current_partner is not None:
            members.append(current_partner)
        if grandparent:
            grandmother = self.person(
                family, "female", mother_age + rng.uniform(18, 30), self.surname(heritage, "female")
            )
            members.append(grandmother)
            for child in children:
                self.relate(child, grandmother, "grandparent")
        unborn = None
        if mother_age < 44 and rng.random() < 0.07:
            unborn = self.unborn_child(family, mother, current_partner, split)
        # What happens to the household during the history window: at most one change.
        change = rng.random()
        move_from = max(self.window_start, since + 60, partner_from + 30)
        if change < 0.13 and move_from < self.today - 30:
            self.family_moves(family, members, since, partner_from, current_partner, move_from)
        else:
            for member in members:
                self.live(member, home, partner_from if member is current_partner else since)
        if unborn is not None:
            unborn.spells.append((family.home, self.today, None))
        new_adult: _Person | None = None
        if lone and change > 0.8:
            new_adult = self.partner_joins(family, mother, children, since)
        elif current_partner is not None and not blended and change > 0.91 and since < self.today - 400:
            self.partner_leaves(family, mother, current_partner)
        pathway = self.choose_pathway(family, mother, current_partner or first_father, new_adult)
        for person in family.people:
            self.everyday_services(family, person)
        pathway()
        for person in family.people:
            self.person_rows(person)

    def unborn_child(self, family: _Family, mother: _Person, father: _Person | None, split: int) -> _Person:
        unborn = self.person(family, "not_known", None, father.family if father else mother.family)
        unborn.given = ""
        unborn.middle = ""
        unborn.edd = self.today + self.rng.randint(7, 200)
        self.relate(unborn, mother, "parent")
        if father is not None:
            self.relate(unborn, father, "parent")
        for n, child in enumerate(family.children):
            self.relate(child, unborn, "sibling" if father is not None and n >= split else "half_sibling")
        family.children.append(unborn)
        return unborn

    def family_moves(
        self,
        family: _Family,
        members: list[_Person],
        since: int,
        partner_from: int,
        partner: _Person | None,
        move_from: int,
    ) -> None:
        rng = self.rng
        moved = rng.randint(move_from, self.today - 30)
        old = family.home
        area = family.area if rng.random() < 0.75 else rng.choice(self.areas)
        new = self.new_household(area)
        family.home = new
        for member in members:
            start = partner_from if member is partner else since
            if (member.dob or 0) < moved and start < moved:
                self.live(member, old, start, moved - 1)
            self.live(member, new, max(start, moved))

    def partner_joins(self, family: _Family, mother: _Person, children: list[_Person], since: int) -> _Person | None:
        """A new adult moves in with a lone parent during the history window."""
        rng = self.rng
        earliest = max(self.window_start + 200, since + 30)
        if earliest > self.today - 20:
            return None
        joined = rng.randint(earliest, self.today - 20)
        partner = self.person(
            family, "male", self.age_on(mother, self.today) + rng.uniform(-4, 8), self.surname(family.heritage, "male")
        )
        area = family.area if rng.random() < 0.7 else rng.choice(self.areas)
        self.live(partner, self.new_household(area), joined - rng.randint(200, 3000), joined - 1)
        self.live(partner, family.home, joined)
        self.relate(mother, partner, "partner", joined)
        for child in children:
            if child.dob is not None:
                self.relate(child, partner, "partner_of_parent", max(joined, child.dob))
        return partner

    def partner_leaves(self, family: _Family, mother: _Person, partner: _Person) -> None:
        rng = self.rng
        household, start, _ = partner.spells[-1]
        earliest = max(self.window_start, start + 30)
        if earliest > self.today - 10:
            return
        left = rng.randint(earliest, self.today - 10)
        partner.spells[-1] = (household, start, left)
        # The membership and partnership rows were emitted open-ended: close them.
        self.close_row("household_membership", 2, partner.id, 1, household.id, left)
        first, second = sorted((mother.id, partner.id))
        self.close_row("relationship", 1, first, 2, second, left)
        area = family.area if rng.random() < 0.7 else rng.choice(self.areas)
        self.live(partner, self.new_household(area), left + 1)

    def kinship_family(self, area: _Area) -> None:
        """Grandparents bringing up grandchildren whose mother lives elsewhere."""
        rng = self.rng
        heritage, language = self.heritage_for(area)
        family = _Family(area, heritage, language)
        surname = self.surname(heritage, "female")
        ages = self.child_ages()[:3]
        mother_age = ages[0] + rng.uniform(17, 30)
        grandmother = self.person(family, "female", mother_age + rng.uniform(18, 28), surname)
        home = self.new_household(area)
        family.home = home
        self.live(grandmother, home, self.today - rng.randint(10 * 365, 30 * 365))
        children = [self.person(family, rng.choice(("female", "male")), age, surname) for age in ages]
        family.children = children
        placed = rng.randint(min(self.today - 30, max(c.dob or 0 for c in children)), self.today - 30)
        mother = self.absent_parent(family, "female", mother_age, surname, placed)
        mother.adult_services.append("substance_misuse")
        for i, child in enumerate(children):
            self.live(child, home, placed)
            self.relate(child, mother, "parent")
            self.relate(child, grandmother, "grandparent")
            self.relate(child, grandmother, "kinship_carer", max(placed, child.dob or placed))
            for younger in children[i + 1 :]:
                self.relate(child, younger, "sibling")
        looked_after = rng.random() < 0.35
        cs = area.childrens_services
        for child in children:
            start = max(placed, child.dob or placed)
            team = cs.teams["looked_after" if looked_after else "family_support"]
            inv = self.involve(family, child, cs, team, start, None, 1.0, "Allocated social worker")
            if looked_after:
                self.status(child, "looked_after", "", area, start, None)
            if start >= self.window_start:
                self.event(child, inv, "became_looked_after" if looked_after else "assessment", start, words=True)
        self.finish(family)
