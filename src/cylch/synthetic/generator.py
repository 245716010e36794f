"""The synthetic region, generated as plain rows: families first, then what each agency knows of them.

Pure Python with no ORM in the loop, so a million people take minutes. Everything comes from one
`random.Random(seed)` and a fixed reference date, so a seed regenerates the same region exactly
(the demo passes today's date so that ages look right on screen).

Rows are plain tuples whose columns are listed in `TABLES` (the models' attribute names). Dates
are ISO strings and timestamps are UTC `YYYY-MM-DD HH:MM:SS` strings, which the CSV writer, the
SQLite loader and PostgreSQL COPY all accept as they are. The generator yields a `Batch` every
`batch_people` people, so memory stays flat however large the region.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from cylch.core.codes import ALPHABET, check_character
from cylch.people.text import phonetic_key
from cylch.people.validators import nhs_check_digit, upn_check_letter
from cylch.synthetic.names import HERITAGES, MINORITY_WEIGHTS, NICKNAMES, Heritage, welsh_english_alternative
from cylch.synthetic.places import DEFAULT_REGION, INWARD_LETTERS, REGIONS, STREET_NAMES, Authority, RegionPlaces
from cylch.synthetic.vocabulary import CHILD_WORDS, SENSITIVE_KINDS, SUMMARIES

# The default reference date ("today" for the generated region): fixed so that a seed is reproducible.
REFERENCE_DATE = datetime.date(2025, 3, 31)
HISTORY_YEARS = 5

Row = tuple[Any, ...]

# fmt: off
TABLES: dict[str, tuple[str, ...]] = {
    "region": ("id", "code", "name", "name_cy"),
    "local_authority": ("id", "code", "name", "name_cy", "region_id"),
    "agency": ("id", "name", "name_cy", "kind", "local_authority_id", "phone", "email"),
    "team": ("id", "agency_id", "name"),
    "practitioner": (
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "agency_id", "team_id", "job_title", "phone", "language"
    ),
    "practitioner_role": ("id", "practitioner_id", "role_id"),
    "household": (
        "id", "address_line_1", "address_line_2", "town", "postcode", "local_authority_id", "created_at"
    ),
    "person": (
        "id", "cylch_id", "given_name", "middle_names", "family_name", "given_name_key", "family_name_key",
        "is_unborn", "expected_delivery_date", "date_of_birth", "date_of_death", "sex", "gender", "ethnicity",
        "first_language", "interpreter_needed", "nhs_number", "merged_into_id", "created_at", "updated_at"
    ),
    "person_name": (
        "id", "person_id", "kind", "given_name", "family_name", "given_name_key", "family_name_key",
        "used_from", "used_to"
    ),
    "person_identifier": ("id", "person_id", "kind", "value", "agency_id"),
    "household_membership": ("id", "household_id", "person_id", "start_date", "end_date"),
    "relationship": ("id", "person_id", "relative_id", "kind", "start_date", "end_date"),
    "involvement": (
        "id", "person_id", "agency_id", "team_id", "practitioner_id", "role", "start_date", "end_date"
    ),
    "statutory_status": (
        "id", "person_id", "kind", "category", "local_authority_id", "start_date", "end_date"
    ),
    "source_record": (
        "id", "agency_id", "local_id", "person_id", "given_name", "family_name", "date_of_birth", "sex",
        "nhs_number", "postcode", "address", "identifiers", "received_at"
    ),
    "source_record_truth": ("id", "source_record_id", "true_person_key", "distortions"),
    "chronology_event": (
        "id", "person_id", "source_record_id", "agency_id", "recorded_by_id", "kind", "occurred_at",
        "recorded_at", "summary", "details", "sensitivity", "child_words"
    ),
    "planted_trajectory": ("id", "run_id", "household_id", "kind", "started_on", "description", "person_ids"),
}
# fmt: on

# The order rows must be inserted in (every table after the tables it points at).
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

YEAR = 365.25
_CLOCK = tuple(f" {m // 60:02d}:{m % 60:02d}:00" for m in range(1440))
_CYLCH_SPACE = 29**9

# Healthy Child Wales contacts, in days after birth.
_HEALTH_VISITING_SCHEDULE = (12, 42, 56, 84, 112, 183, 456, 822, 1277)
_IMMUNISATION_DAYS = (56, 84, 112, 365, 1216)

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
_LOCAL_ID_PREFIX = {
    "gp_practice": "EMIS",
    "health_visiting": "CHD",
    "midwifery": "MAT",
    "school_nursing": "SN",
    "hospital": "H",
    "camhs": "CAM",
    "adult_mental_health": "WCP",
    "substance_misuse": "SM",
    "childrens_services": "WCCIS",
    "police": "NICHE",
    "school": "SIMS",
    "education_welfare": "EWS",
    "housing": "HSG",
    "probation_youth_justice": "NDEL",
    "third_sector": "TS",
}


@dataclass(frozen=True)
class RegionConfig:
    """What to generate. `reference_date` is "today" for the region; keep the default for reproducible runs."""

    people: int
    seed: int
    reference_date: datetime.date = REFERENCE_DATE
    region: str = DEFAULT_REGION
    history_years: int = HISTORY_YEARS
    batch_people: int = 20_000
    first_ids: Mapping[str, int] = field(default_factory=dict)  # table -> first id (so loads can append)
    run_id: int = 1


@dataclass
class Batch:
    """Rows for every table, produced together so that a batch can be loaded on its own."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def records(self, table: str) -> Iterator[dict[str, Any]]:
        """The rows of one table as dictionaries (for tests and inspection, not the hot path)."""
        columns = TABLES[table]
        for row in self.rows.get(table, ()):
            yield dict(zip(columns, row, strict=True))

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def generate_region(config: RegionConfig) -> Iterator[Batch]:
    """Yield the region as batches of rows: the organisation first, then families until `people` is reached."""
    yield from _RegionGenerator(config).batches()


def cylch_id_for(person_id: int) -> str:
    """A Cylch ID derived from the row id: unique per id, scrambled so neighbours do not look alike."""
    value = (person_id * 1_000_003 + 7_654_321) % _CYLCH_SPACE
    body = []
    for _ in range(9):
        value, digit = divmod(value, 29)
        body.append(ALPHABET[digit])
    text = "".join(reversed(body))
    return text + check_character(text)


def _nothing() -> None:
    """The pathway of most families: nothing beyond everyday services."""


class _NotReady(RuntimeError):
    """A generation step ran before the step it depends on (a bug in the generator, never bad input)."""


class _Team:
    __slots__ = ("id", "name", "staff")

    def __init__(self, team_id: int, name: str) -> None:
        self.id = team_id
        self.name = name
        self.staff: list[int] = []


class _Service:
    """One agency as the generator sees it: its id, kind, teams and a local-id prefix."""

    __slots__ = ("agency_id", "estab", "kind", "prefix", "teams")

    def __init__(self, agency_id: int, kind: str) -> None:
        self.agency_id = agency_id
        self.kind = kind
        self.prefix = _LOCAL_ID_PREFIX[kind]
        self.teams: dict[str, _Team] = {}
        self.estab = 0

    @property
    def team(self) -> _Team:
        return next(iter(self.teams.values()))


@dataclass
class _Area:
    """One council area with the services that work in it."""

    index: int
    spec: Authority
    id: int
    people: float
    childrens_services: _Service = field(init=False)
    police_team: _Team = field(init=False)
    gps: list[_Service] = field(default_factory=list)
    primaries: list[_Service] = field(default_factory=list)
    secondaries: list[_Service] = field(default_factory=list)
    health_visiting: _Service = field(init=False)
    school_nursing: _Service = field(init=False)
    midwifery: _Service = field(init=False)
    hospital: _Service = field(init=False)
    camhs: _Service = field(init=False)
    adult_mental_health: _Service = field(init=False)
    substance_misuse: _Service = field(init=False)
    housing: _Service = field(init=False)
    education_welfare: _Service = field(init=False)
    youth_justice: _Service = field(init=False)
    probation: _Service = field(init=False)
    third_sector: _Service = field(init=False)
    police: _Service = field(init=False)
    town_weights: list[int] = field(default_factory=list)


class _Person:
    __slots__ = (
        "activity",
        "adult_services",
        "dob",
        "edd",
        "family",
        "given",
        "heritage",
        "id",
        "interpreter",
        "language",
        "middle",
        "nhs",
        "prev_family",
        "prev_family_until",
        "sex",
        "spells",
    )

    def __init__(self) -> None:
        self.id = 0
        self.given = ""
        self.middle = ""
        self.family = ""
        self.sex = "female"
        self.dob: int | None = None
        self.edd: int | None = None
        self.heritage: Heritage = HERITAGES["welsh"]
        self.language = "eng"
        self.interpreter = False
        self.nhs = ""
        self.prev_family = ""
        self.prev_family_until: int | None = None
        self.activity = 1.0
        self.adult_services: list[str] = []
        # Where they lived: (household, from, to or None).
        self.spells: list[tuple[_Household, int, int | None]] = []


class _Household:
    __slots__ = ("area", "id", "line1", "postcode", "town")

    def __init__(self, household_id: int, area: _Area, line1: str, town: str, postcode: str) -> None:
        self.id = household_id
        self.area = area
        self.line1 = line1
        self.town = town
        self.postcode = postcode


class _Involvement:
    __slots__ = ("end", "practitioner", "record", "service", "start", "team")

    def __init__(
        self, service: _Service, team: _Team, record: int, practitioner: int | None, start: int, end: int | None
    ) -> None:
        self.service = service
        self.team = team
        self.record = record
        self.practitioner = practitioner
        self.start = start
        self.end = end


@dataclass
class _Family:
    """The people generated together, and what each agency already holds on them."""

    area: _Area
    heritage: Heritage
    language: str
    people: list[_Person] = field(default_factory=list)
    children: list[_Person] = field(default_factory=list)
    records: dict[tuple[int, int], int] = field(default_factory=dict)
    gp: dict[int, _Service] = field(default_factory=dict)
    primary: dict[int, _Service] = field(default_factory=dict)
    secondary: dict[int, _Service] = field(default_factory=dict)
    social_housing: bool = False
    school_concern: bool = False
    home: _Household = field(init=False)


class _RegionGenerator:
    def __init__(self, config: RegionConfig) -> None:
        if config.region not in REGIONS:
            raise ValueError(f"Unknown region {config.region!r}; choose from {', '.join(REGIONS)}.")
        self.config = config
        self.rng = random.Random(config.seed)
        self.places: RegionPlaces = REGIONS[config.region]
        self.today = config.reference_date.toordinal()
        start = config.reference_date
        try:
            start = start.replace(year=start.year - config.history_years)
        except ValueError:  # 29 February
            start = start.replace(year=start.year - config.history_years, day=28)
        self.window_start = start.toordinal()
        self.next_id = {table: config.first_ids.get(table, 1) for table in TABLES}
        self.people_made = 0
        self.nhs_counter = 0
        self.upn_serial: dict[tuple[int, int], int] = defaultdict(int)
        self._iso: dict[int, str] = {}
        self._keys: dict[str, str] = {}
        self.batch = Batch()
        self.areas: list[_Area] = []
        self.area_weights: list[float] = []
        self.now_text = self.day(self.today) + _CLOCK[9 * 60]
        self.minorities = [HERITAGES[code] for code, _ in MINORITY_WEIGHTS]
        self.minority_weights = [w for _, w in MINORITY_WEIGHTS]

    # ---------------------------------------------------------------- helpers

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def emit(self, table: str, row: Row) -> None:
        self.batch.rows[table].append(row)

    def day(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = datetime.date.fromordinal(ordinal).isoformat()
            self._iso[ordinal] = text
        return text

    def opt_day(self, ordinal: int | None) -> str | None:
        return None if ordinal is None else self.day(ordinal)

    def key(self, name: str) -> str:
        value = self._keys.get(name)
        if value is None:
            value = phonetic_key(name)
            self._keys[name] = value
        return value

    def dob_for_age(self, years: float) -> int:
        return self.today - int((years + self.rng.random()) * YEAR)

    def age_on(self, person: _Person, day: int) -> float:
        return -1.0 if person.dob is None else (day - person.dob) / YEAR

    def times(self, rate_per_year: float, start: int, end: int) -> int:
        """How many events happen at `rate_per_year` between two days (expected value, randomly rounded)."""
        expected = rate_per_year * max(0, end - start) / YEAR
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    # ------------------------------------------------------------ organisation

    def batches(self) -> Iterator[Batch]:
        self.build_organisation()
        while self.people_made < self.config.people:
            self.household_group()
            if self.batch.count("person") >= self.config.batch_people:
                yield self.batch
                self.batch = Batch()
        if self.batch.rows:
            yield self.batch

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
            "camhs": self.agency(f"{self.health_board_short()} CAMHS", "", "camhs", first),
            "probation": self.agency(f"Probation Service – {places.name}", "", "probation_youth_justice", first),
            "third_sector": self.agency(f"{places.name} Domestic Abuse Support", "", "third_sector", first),
        }
        hospitals = {}
        for name, code in places.hospitals:
            host = next(a for a in self.areas if a.spec.code == code)
            hospitals[code] = (
                self.agency(name, "", "hospital", host),
                self.agency(f"{name} Maternity Unit", "", "midwifery", host),
            )
        for area in self.areas:
            self.build_area(area, police, region_wide, hospitals)

    def health_board_short(self) -> str:
        return self.places.health_board[0].replace(" University Health Board", "")

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
        hb = self.health_board_short()
        practice = ("agency_practitioner",)
        cs = self.agency(
            f"{name} Children's Services", f"Gwasanaethau Plant {spec.name_cy}", "childrens_services", area
        )
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
            style = ("{} Medical Centre", "{} Health Centre", "Meddygfa {}", "{} Family Practice")[
                n // len(spec.towns) % 4
            ]
            gp = self.agency(style.format(town) + ("" if n < 4 * len(spec.towns) else f" {n}"), "", "gp_practice", area)
            self.team(gp, "clinical", "Clinical team", self.rng.randint(3, 6), "GP", practice)
            area.gps.append(gp)
        for n in range(max(2, round(people * 0.09 / 250))):
            town = spec.towns[n % len(spec.towns)].name
            welsh = self.rng.random() < max(0.2, spec.welsh_first_language)
            school_name = f"Ysgol Gynradd {town} {n + 1}" if welsh else f"{town} Primary School {n + 1}"
            school = self.agency(school_name, "", "school", area)
            school.estab = 2000 + n
            self.team(school, "safeguarding", "Safeguarding", 2, "Designated safeguarding lead", practice)
            area.primaries.append(school)
        for n in range(max(1, round(people * 0.075 / 900))):
            town = spec.towns[n % len(spec.towns)].name
            school = self.agency(f"{town} Comprehensive School {n + 1}", "", "school", area)
            school.estab = 4000 + n
            self.team(school, "safeguarding", "Safeguarding", 3, "Designated safeguarding lead", practice)
            area.secondaries.append(school)
        area.health_visiting = self.agency(f"{hb} Health Visiting – {name}", "", "health_visiting", area)
        self.team(
            area.health_visiting,
            "hv",
            f"Health visiting – {name}",
            1 + int(people * 0.055 / 250),
            "Health visitor",
            practice,
        )
        area.school_nursing = self.agency(f"{hb} School Nursing – {name}", "", "school_nursing", area)
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
        area.adult_mental_health = self.agency(f"{name} Community Mental Health Team", "", "adult_mental_health", area)
        self.team(
            area.adult_mental_health,
            "cmht",
            "Community mental health team",
            1 + int(people * 0.75 * 0.03 / 35),
            "Community psychiatric nurse",
            practice,
        )
        area.substance_misuse = self.agency(f"{name} Substance Misuse Service", "", "substance_misuse", area)
        self.team(area.substance_misuse, "sm", "Keyworkers", 1 + int(people * 0.75 * 0.012 / 40), "Keyworker", practice)
        area.housing = self.agency(f"{name} Council Housing", f"Tai {spec.name_cy}", "housing", area)
        self.team(area.housing, "tenancy", "Tenancy support", 1 + int(people / 20000), "Housing officer", practice)
        area.education_welfare = self.agency(f"{name} Education Welfare Service", "", "education_welfare", area)
        self.team(
            area.education_welfare,
            "ews",
            "Education welfare",
            1 + int(people / 25000),
            "Education welfare officer",
            practice,
        )
        area.youth_justice = self.agency(f"{name} Youth Justice Service", "", "probation_youth_justice", area)
        self.team(area.youth_justice, "yjs", "Youth justice", 1 + int(people / 40000), "Youth justice worker", practice)

    # ------------------------------------------------------------- households

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

    def close_row(self, table: str, column: int, value: int, other: int, other_value: int, end: int) -> None:
        """Give the latest open-ended row matching two columns an end date (the last column)."""
        rows = self.batch.rows[table]
        for i in range(len(rows) - 1, -1, -1):
            row = rows[i]
            if row[column] == value and row[other] == other_value:
                rows[i] = (*row[:-1], self.day(end))
                return

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

    # --------------------------------------------------- children's services

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
        young = any(c.dob is not None and self.today - c.dob < 6 * 365 for c in family.children)
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
            kind = rng.choice(("soft_concerns", "missed_appointments", "domestic_abuse"))
            family.school_concern = True
            if kind == "domestic_abuse" and father is not None and father_at_home:
                return partial(self.plant_domestic_abuse, family, mother, father)
            if kind == "missed_appointments" and young:
                return partial(self.plant_missed_appointments, family)
            return partial(self.plant_soft_concerns, family)
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

    def random_day(self, start: int | None = None, end: int | None = None) -> int:
        """A day between two days (inclusive); the later bound when the range is empty."""
        low, high = start or self.window_start, end or self.today
        return high if low >= high else self.rng.randint(low, high)

    def cs_involvement(self, family: _Family, child: _Person, team: str, start: int, end: int | None) -> _Involvement:
        area = self.area_on(child, start)
        cs = area.childrens_services
        return self.involve(family, child, cs, cs.teams[team], start, end, 1.0, "Allocated social worker")

    def area_on(self, person: _Person, day: int) -> _Area:
        for household, start, end in person.spells:
            if start <= day and (end is None or end >= day):
                return household.area
        return person.spells[-1][0].area if person.spells else self.areas[0]

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
                self.event(child, ref, "concern", day, words=True)
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
                self.event(child, ref, "concern", start, words=True)
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

    def police_involvement(self, family: _Family, person: _Person, day: int) -> _Involvement:
        area = self.area_on(person, day)
        return self.involve(
            family, person, area.police, area.police_team, day, day + 365, 0.2, "Officer in case", record_only=True
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
                    self.event(child, self.police_involvement(family, child, day), "concern", day)
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

    def plant(self, family: _Family, kind: str, started: int, description: str, people: list[_Person]) -> None:
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
        )

    def plant_missed_appointments(self, family: _Family) -> None:
        rng = self.rng
        young = [c for c in family.children if c.dob is not None and self.today - c.dob < 6 * 365]
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
            family, "missed_appointments", start, f"{count} missed health appointments ('was not brought').", young
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
                ref = self.referrer(family, child, day)
                if ref is None:
                    area = self.area_on(child, day)
                    gp = family.gp.get(area.index) or area.gps[0]
                    ref = self.involve(family, child, gp, gp.team, day, None, 0.0, "", record_only=True)
                kind = "school_welfare" if ref.service.kind == "school" and n % 2 else "information_sharing"
                self.event(child, ref, kind, day, words=True)
        self.plant(family, "soft_concerns", start, f"{count} below-threshold concerns shared over a few months.", kids)

    def plant_new_adult(self, family: _Family, mother: _Person, adult: _Person) -> None:
        """A partner with arrests and probation supervision behind him moves in with a lone parent."""
        rng = self.rng
        joined = adult.spells[-1][1]
        history_start = max(self.window_start, joined - 3 * 365)
        for _ in range(rng.randint(2, 4)):
            day = self.random_day(history_start, joined)
            self.event(adult, self.police_involvement(family, adult, day), "arrest", day)
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
        self.plant(
            family,
            "new_adult_with_history",
            joined,
            "A new partner with arrests and probation supervision moved into the household.",
            [adult, mother, *kids],
        )

    # --------------------------------------------------- agencies' records

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

    def event(self, person: _Person, inv: _Involvement, kind: str, day: int, *, words: bool = False) -> None:
        """One chronology entry in the agency's record, recorded a little after it happened."""
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
                "{}",
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

    # ------------------------------------------------------------ finishing

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
