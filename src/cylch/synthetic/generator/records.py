"""The generator's own view of the region while it works: services and teams, council areas, people,
households, involvements and the family being generated. Never emitted as they are; the mixins turn
them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cylch.synthetic.names import HERITAGES, Heritage
from cylch.synthetic.places import Authority

# Each kind of agency's prefix for its local record ids.
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
