"""The organisation of the region: the region and its councils, then every agency in each council area
(children's services, police, GP practices, schools, health, housing...) with its teams and practitioners.
"""

from __future__ import annotations

from cylch.synthetic.generator.base import _GeneratorBase
from cylch.synthetic.generator.records import _Area, _Service, _Team
from cylch.synthetic.names import HERITAGES
from cylch.synthetic.places import town_name_cy

# GP practices' names, in English and in Welsh ("{}" the town).
GP_STYLES = (
    ("{} Medical Centre", "Canolfan Feddygol {}"),
    ("{} Health Centre", "Canolfan Iechyd {}"),
    ("Meddygfa {}", "Meddygfa {}"),
    ("{} Family Practice", "Practis Teulu {}"),
)


class _Organisation(_GeneratorBase):
    """Generated once, before any family, so that every family has services to be known to."""

    def build_organisation(self) -> None:
        places = self.places
        region_id = self.new_id("region")
        self.emit("region", (region_id, places.code, places.name, places.name_cy))
        total = sum(a.population for a in places.authorities)
        for index, spec in enumerate(places.authorities):
            area_id = self.new_id("local_authority")
            self.emit("local_authority", (area_id, spec.code, spec.name, spec.name_cy, region_id))
            area = _Area(index, spec, area_id, self.config.people * spec.population / total)
            area.town_weights = [t.weight for t in spec.towns]
            self.areas.append(area)
            self.area_weights.append(spec.population)
        first = self.areas[0]
        police = self.agency(places.police[0], places.police[1], "police", first)
        region_wide = {
            "camhs": self.agency(
                f"{self.health_board_short()} CAMHS",
                f"Gwasanaethau Iechyd Meddwl Plant a’r Glasoed {self.health_board_short_cy()}",
                "camhs",
                first,
            ),
            "probation": self.agency(
                f"Probation Service – {places.name}",
                f"Gwasanaeth Prawf – {places.name_cy}",
                "probation_youth_justice",
                first,
            ),
            "third_sector": self.agency(
                f"{places.name} Domestic Abuse Support",
                f"Cymorth Cam-drin Domestig {places.name_cy}",
                "third_sector",
                first,
            ),
        }
        hospitals = {}
        for name, name_cy, code in places.hospitals:
            host = next(a for a in self.areas if a.spec.code == code)
            hospitals[code] = (
                self.agency(name, name_cy, "hospital", host),
                self.agency(f"{name} Maternity Unit", f"Uned Famolaeth {name_cy}", "midwifery", host),
            )
        for area in self.areas:
            self.build_area(area, police, region_wide, hospitals)

    def health_board_short(self) -> str:
        return self.places.health_board[0].replace(" University Health Board", "")

    def health_board_short_cy(self) -> str:
        return self.places.health_board[1].replace("Bwrdd Iechyd Prifysgol ", "")

    def agency(self, name: str, name_cy: str, kind: str, area: _Area) -> _Service:
        agency_id = self.new_id("agency")
        phone = f"0{self.rng.randint(1200, 1999)} {self.rng.randint(100000, 999999)}"
        self.emit("agency", (agency_id, name, name_cy, kind, area.id, phone, f"safeguarding{agency_id}@example.org"))
        return _Service(agency_id, kind)

    def team(self, service: _Service, key: str, name: str, staff: int, job_title: str, roles: tuple[str, ...]) -> _Team:
        team = _Team(self.new_id("team"), name)
        self.emit("team", (team.id, service.agency_id, name))
        service.teams[key] = team
        for n in range(max(1, staff)):
            team.staff.append(
                self.practitioner(service, team, job_title, roles if n else roles + self.lead_roles(roles))
            )
        return team

    @staticmethod
    def lead_roles(roles: tuple[str, ...]) -> tuple[str, ...]:
        """The first member of a front-door team manages it; the first of a safeguarding team leads."""
        if "front_door" in roles:
            return ("front_door_manager",)
        if "lead_practitioner_team" in roles:
            return ("lead_practitioner",)
        return ()

    def practitioner(self, service: _Service, team: _Team, job_title: str, roles: tuple[str, ...]) -> int:
        heritage = HERITAGES["welsh"] if self.rng.random() < 0.7 else HERITAGES["british"]
        given = self.rng.choice(heritage.female if self.rng.random() < 0.7 else heritage.male)
        family = self.rng.choice(heritage.surnames)
        pid = self.new_id("practitioner")
        self.emit(
            "practitioner",
            (
                pid,
                "!synthetic",
                None,
                False,
                f"synth{pid}",
                given,
                family,
                "",
                False,
                True,
                self.now_text,
                service.agency_id,
                team.id,
                job_title,
                "",
                "",  # no preferred language until they use the English/Cymraeg switch
                False,  # a person, not an agency's computer system
            ),
        )
        for role in roles:
            if role != "lead_practitioner_team":
                self.emit("practitioner_role", (self.new_id("practitioner_role"), pid, role))
        return pid

    def build_area(
        self,
        area: _Area,
        police: _Service,
        region_wide: dict[str, _Service],
        hospitals: dict[str, tuple[_Service, _Service]],
    ) -> None:
        spec, people = area.spec, area.people
        name = spec.name
        hb, hb_cy, name_cy = self.health_board_short(), self.health_board_short_cy(), spec.name_cy
        practice = ("agency_practitioner",)
        cs = self.agency(f"{name} Children's Services", f"Gwasanaethau Plant {name_cy}", "childrens_services", area)
        self.team(
            cs,
            "front_door",
            "Information, Advice and Assistance",
            2 + int(people / 15000),
            "Social worker",
            ("front_door",),
        )
        self.team(
            cs,
            "safeguarding",
            "Safeguarding",
            2 + int(people * 0.004 / 18),
            "Social worker",
            ("agency_practitioner", "lead_practitioner_team"),
        )
        self.team(cs, "looked_after", "Children Looked After", 1 + int(people * 0.0025 / 15), "Social worker", practice)
        self.team(cs, "family_support", "Family Support", 1 + int(people / 20000), "Family support worker", practice)
        area.childrens_services = cs
        if not police.teams.get("mash"):
            self.team(police, "mash", "Multi-Agency Safeguarding Hub", 2, "Detective sergeant", practice)
        area.police_team = self.team(
            police,
            f"ppu{area.index}",
            f"Public Protection Unit – {name}",
            1 + int(people / 8000),
            "Police constable",
            practice,
        )
        area.police = police
        for n in range(max(2, round(people / 7000))):
            town = spec.towns[n % len(spec.towns)].name
            style, style_cy = GP_STYLES[n // len(spec.towns) % 4]
            number = "" if n < 4 * len(spec.towns) else f" {n}"
            gp = self.agency(
                style.format(town) + number, style_cy.format(town_name_cy(town)) + number, "gp_practice", area
            )
            self.team(gp, "clinical", "Clinical team", self.rng.randint(3, 6), "GP", practice)
            area.gps.append(gp)
        for n in range(max(2, round(people * 0.09 / 250))):
            town = spec.towns[n % len(spec.towns)].name
            welsh = self.rng.random() < max(0.2, spec.welsh_first_language)
            school_name = f"Ysgol Gynradd {town} {n + 1}" if welsh else f"{town} Primary School {n + 1}"
            school = self.agency(school_name, f"Ysgol Gynradd {town_name_cy(town)} {n + 1}", "school", area)
            school.estab = 2000 + n
            self.team(school, "safeguarding", "Safeguarding", 2, "Designated safeguarding lead", practice)
            area.primaries.append(school)
        for n in range(max(1, round(people * 0.075 / 900))):
            town = spec.towns[n % len(spec.towns)].name
            school = self.agency(
                f"{town} Comprehensive School {n + 1}", f"Ysgol Gyfun {town_name_cy(town)} {n + 1}", "school", area
            )
            school.estab = 4000 + n
            self.team(school, "safeguarding", "Safeguarding", 3, "Designated safeguarding lead", practice)
            area.secondaries.append(school)
        area.health_visiting = self.agency(
            f"{hb} Health Visiting – {name}", f"Ymwelwyr Iechyd {hb_cy} – {name_cy}", "health_visiting", area
        )
        self.team(
            area.health_visiting,
            "hv",
            f"Health visiting – {name}",
            1 + int(people * 0.055 / 250),
            "Health visitor",
            practice,
        )
        area.school_nursing = self.agency(
            f"{hb} School Nursing – {name}", f"Nyrsio Ysgol {hb_cy} – {name_cy}", "school_nursing", area
        )
        self.team(
            area.school_nursing,
            "sn",
            f"School nursing – {name}",
            1 + int(people * 0.14 / 2500),
            "School nurse",
            practice,
        )
        hospital, midwifery = hospitals.get(spec.code) or next(iter(hospitals.values()))
        area.hospital, area.midwifery = hospital, midwifery
        if not hospital.teams:
            self.team(hospital, "ed", "Emergency department", 4, "Emergency department nurse", practice)
        if not midwifery.teams:
            self.team(
                midwifery,
                "community",
                "Community midwives",
                2 + int(self.config.people * 0.008 / 100 / 3),
                "Midwife",
                practice,
            )
        area.camhs = region_wide["camhs"]
        if not area.camhs.teams:
            self.team(
                area.camhs,
                "camhs",
                "Community CAMHS",
                2 + int(self.config.people * 0.004 / 40),
                "CAMHS practitioner",
                practice,
            )
        area.probation = region_wide["probation"]
        if not area.probation.teams:
            self.team(
                area.probation,
                "probation",
                "Probation delivery unit",
                2 + int(self.config.people * 0.006 / 40),
                "Probation officer",
                practice,
            )
        area.third_sector = region_wide["third_sector"]
        if not area.third_sector.teams:
            self.team(
                area.third_sector,
                "support",
                "Outreach",
                2 + int(self.config.people / 50000),
                "Domestic abuse support worker",
                practice,
            )
        area.adult_mental_health = self.agency(
            f"{name} Community Mental Health Team",
            f"Tîm Iechyd Meddwl Cymunedol {name_cy}",
            "adult_mental_health",
            area,
        )
        self.team(
            area.adult_mental_health,
            "cmht",
            "Community mental health team",
            1 + int(people * 0.75 * 0.03 / 35),
            "Community psychiatric nurse",
            practice,
        )
        area.substance_misuse = self.agency(
            f"{name} Substance Misuse Service",
            f"Gwasanaeth Camddefnyddio Sylweddau {name_cy}",
            "substance_misuse",
            area,
        )
        self.team(area.substance_misuse, "sm", "Keyworkers", 1 + int(people * 0.75 * 0.012 / 40), "Keyworker", practice)
        area.housing = self.agency(f"{name} Council Housing", f"Tai {name_cy}", "housing", area)
        self.team(area.housing, "tenancy", "Tenancy support", 1 + int(people / 20000), "Housing officer", practice)
        area.education_welfare = self.agency(
            f"{name} Education Welfare Service", f"Gwasanaeth Lles Addysg {name_cy}", "education_welfare", area
        )
        self.team(
            area.education_welfare,
            "ews",
            "Education welfare",
            1 + int(people / 25000),
            "Education welfare officer",
            practice,
        )
        area.youth_justice = self.agency(
            f"{name} Youth Justice Service",
            f"Gwasanaeth Cyfiawnder Ieuenctid {name_cy}",
            "probation_youth_justice",
            area,
        )
        self.team(area.youth_justice, "yjs", "Youth justice", 1 + int(people / 40000), "Youth justice worker", practice)
