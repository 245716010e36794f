"""A fresh UK/Welsh population for issue #12's independent evaluation, written by other hands.

Written without reading `cylch.linkage`, `cylch.synthetic` or `bench/linkage/independent.py`, and imports none
of them: its own name lists, households, life events and error model, so that scoring Cylch on it says how the
linkage does on records it was never shaped around. Evaluation only: never train or tune on it.

The population: households of a Welsh region (couples with children, single parents, single adults, three
generations), Welsh surname concentration (Jones, Williams, Davies, Evans, Thomas …), Welsh and English given
names with their other forms (Siôn/John, Dafydd/David, Gwenllian/Gwen) and nicknames, middle names, twins
(same birth date, surname and address; NHS numbers issued one after the other) and same-name cousins (two
brothers' sons both named after their grandfather).

The records: each person is known to one to six agencies with the habits of each (a health board nearly always
has the NHS number, the police and schools seldom do; schools hold parents as contacts without a date of birth;
police and housing systems drop accents). Life events between records: moves, a marriage, a child's surname
changed when the mother marries. Recording slips: typos, OCR confusions of scanned forms, double-barrelled
surnames split, joined or cut to one part, Welsh patronymic forms (ap/ab), a middle name recorded first, an
NHS number with two neighbouring figures transposed, a birth date with day and month swapped or the year
mistyped. Each record lists the kinds it carries (`ERROR_KINDS`), so the misses can be attributed.

NHS numbers are all in the 999 test range with a valid modulus-11 check digit (a transposed one fails it).
"""

from __future__ import annotations

import csv
import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RECORD_COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "agency_id",
)

ERROR_KINDS = (
    "typo",
    "ocr",
    "nickname",
    "welsh_english_form",
    "accents_dropped",
    "middle_name_included",
    "first_middle_swap",
    "double_barrel_split_joined",
    "double_barrel_part_dropped",
    "patronymic",
    "marriage",
    "child_surname_change",
    "moved",
    "postcode_missing",
    "nhs_missing",
    "nhs_transposition",
    "dob_missing",
    "dob_day_month_swap",
    "dob_year_mistyped",
)

# agency id: (name, share of NHS numbers missing, of birth dates missing for a child, for an adult)
AGENCIES: dict[int, tuple[str, float, float, float]] = {
    1: ("health_board", 0.03, 0.005, 0.01),
    2: ("police", 0.88, 0.05, 0.12),
    3: ("school", 0.85, 0.01, 0.92),  # a school holds parents as contacts, seldom with a birth date
    4: ("childrens_services", 0.45, 0.03, 0.20),
    5: ("housing", 0.75, 0.04, 0.06),
}
HEALTH, POLICE, SCHOOL, SOCIAL, HOUSING = 1, 2, 3, 4, 5
TYPO_RATE = {HEALTH: 0.03, POLICE: 0.09, SCHOOL: 0.04, SOCIAL: 0.06, HOUSING: 0.06}
OCR_RATE = {HEALTH: 0.01, POLICE: 0.02, SCHOOL: 0.03, SOCIAL: 0.04, HOUSING: 0.05}
KNOWN_AS_RATE = {HEALTH: 0.08, POLICE: 0.6, SCHOOL: 0.6, SOCIAL: 0.3, HOUSING: 0.5}  # a preferred name used
ASCII_ONLY = {POLICE, HOUSING}

FIRST_DAY = datetime.date(2016, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)

# Surnames with weights (per thousand, roughly as in Wales): Welsh ones carry most of the weight.
WELSH_SURNAMES = {
    "Jones": 57, "Williams": 39, "Davies": 37, "Evans": 24, "Thomas": 23, "Roberts": 16, "Hughes": 13,
    "Lewis": 13, "Morgan": 11, "Griffiths": 10, "Edwards": 9, "Price": 7, "Rees": 7, "Jenkins": 7, "Phillips": 6,
    "Lloyd": 6, "Powell": 5, "James": 6, "Owen": 6, "Richards": 5, "Parry": 5, "Pritchard": 3, "Bevan": 3,
    "Pugh": 3, "Howells": 3, "Watkins": 3, "Morris": 4, "Rowlands": 3, "Vaughan": 2, "Llewellyn": 2,
    "Prosser": 2, "Gwynne": 1, "Meredith": 2, "Protheroe": 1, "Bowen": 3, "Probert": 1, "Hopkins": 3,
    "Harries": 2, "Gittins": 1, "Cadwaladr": 1, "Tudor": 1, "Wynne": 1, "Humphreys": 2, "Ellis": 2, "Walters": 2,
}  # fmt: skip
ENGLISH_SURNAMES = {
    "Smith": 9, "Taylor": 6, "Brown": 5, "Wilson": 3, "Walker": 3, "Wright": 3, "Green": 3, "Hall": 3,
    "Clarke": 3, "Baker": 2, "Cooper": 2, "Ward": 2, "Turner": 2, "Hill": 2, "Moore": 2, "Wood": 2, "King": 2,
    "Harris": 4, "Bennett": 2, "Mitchell": 2, "Shaw": 1, "Fletcher": 1, "Chapman": 1, "Palmer": 1,
}  # fmt: skip
OTHER_SURNAMES = {
    "Kowalski": 1, "Nowak": 1, "Khan": 2, "Ahmed": 2, "Begum": 1, "Patel": 1, "Ali": 2, "Okafor": 1,
    "Murphy": 2, "O'Brien": 1, "Fitzgerald": 1, "MacDonald": 1, "Novák": 1, "Silva": 1, "Mensah": 1,
}  # fmt: skip
DOUBLE_BARRELLED = {
    "Bowen-Jones": 2, "Lloyd-Williams": 2, "Wynne-Jones": 1, "Rhys-Davies": 1, "Vaughan-Thomas": 1,
    "Price-Evans": 1, "Lloyd George": 1, "Jones-Parry": 1, "Hughes-Morgan": 1, "Owen-Pritchard": 1,
}  # fmt: skip
# Welsh patronymic surnames and their anglicised forms (ab Owen became Bowen, ap Rhys Price …).
PATRONYMIC = {
    "ap Rhys": "Price", "ab Owen": "Bowen", "ap Hywel": "Powell", "ap Huw": "Pugh", "ap Harri": "Parry",
    "ap Richard": "Pritchard", "ab Evan": "Bevan", "ap Robert": "Probert", "ap Rosser": "Prosser",
    "ap Gwilym": "Williams", "ab Iorwerth": "Yorath", "ap Dafydd": "Davies",
}  # fmt: skip
ANGLICISED = {v: k for k, v in PATRONYMIC.items()}

# Given names by sex: Welsh and English lists, both old and young.
WELSH_MALE = (
    "Dafydd", "Rhys", "Gruffydd", "Iwan", "Osian", "Cai", "Ioan", "Tomos", "Gethin", "Owain", "Aled", "Huw",
    "Emyr", "Gareth", "Rhodri", "Siôn", "Elis", "Llŷr", "Deiniol", "Macsen", "Harri", "Ianto", "Gwion",
    "Iestyn", "Steffan", "Geraint", "Dylan", "Hywel", "Ifan", "Bryn", "Alun", "Carwyn", "Meilyr", "Dewi",
    "Gwilym", "Ieuan", "Llywelyn", "Morgan", "Tudur", "Trystan",
)  # fmt: skip
WELSH_FEMALE = (
    "Cerys", "Ffion", "Seren", "Megan", "Catrin", "Alys", "Elin", "Nia", "Gwen", "Gwenllian", "Siân", "Angharad",
    "Carys", "Lowri", "Manon", "Mali", "Nel", "Efa", "Lili", "Haf", "Eleri", "Bethan", "Rhiannon", "Non",
    "Mererid", "Heledd", "Branwen", "Eira", "Tesni", "Anwen", "Delyth", "Enfys", "Gwenno", "Llinos", "Lleucu",
    "Mair", "Marged", "Siwan", "Ela", "Gwyneth",
)  # fmt: skip
ENGLISH_MALE = (
    "Oliver", "Jack", "Harry", "Jacob", "Charlie", "Thomas", "George", "Oscar", "James", "William", "Noah",
    "Alfie", "Joshua", "Leo", "Riley", "Mason", "Jayden", "Tyler", "Kyle", "Liam", "Daniel", "Matthew",
    "Christopher", "Michael", "David", "John", "Robert", "Paul", "Mark", "Andrew", "Stephen", "Richard",
    "Anthony", "Peter", "Gary", "Kevin", "Lee", "Craig", "Darren", "Jason", "Dean", "Ryan", "Reece", "Alfred",
)  # fmt: skip
ENGLISH_FEMALE = (
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Chloë", "Ella", "Ruby", "Evie",
    "Poppy", "Freya", "Isabella", "Jessica", "Mia", "Amber", "Paige", "Courtney", "Jade", "Leah", "Caitlin",
    "Sarah", "Emma", "Rebecca", "Laura", "Claire", "Lisa", "Michelle", "Nicola", "Joanne", "Kelly", "Donna",
    "Helen", "Karen", "Susan", "Julie", "Elizabeth", "Margaret", "Catherine", "Katie", "Jennifer", "Victoria",
    "Samantha", "Stacey", "Kayleigh", "Zoë", "Charlotte",
)  # fmt: skip

# Other forms of a given name: (form, kind). Welsh ↔ English forms, and nicknames.
W, N = "welsh_english_form", "nickname"
NAME_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "Siôn": (("John", W), ("Sionyn", N)), "Dafydd": (("David", W), ("Dai", N), ("Dafs", N)),
    "Gwenllian": (("Gwen", N), ("Gwenny", N)), "Rhys": (("Reece", W), ("Rees", W)), "Ioan": (("John", W),),
    "Tomos": (("Thomas", W), ("Tom", N), ("Twm", N)), "Huw": (("Hugh", W),), "Iwan": (("Evan", W),),
    "Ifan": (("Evan", W),), "Gruffydd": (("Griffith", W), ("Gruff", N)), "Owain": (("Owen", W),),
    "Harri": (("Harry", W),), "Elis": (("Ellis", W),), "Steffan": (("Stephen", W), ("Steff", N)),
    "Catrin": (("Catherine", W), ("Cat", N)), "Siân": (("Jane", W),), "Mair": (("Mary", W),),
    "Gwilym": (("William", W), ("Wil", N)), "Hywel": (("Howell", W),), "Ieuan": (("Evan", W),),
    "Llywelyn": (("Llew", N), ("Lewelyn", W)), "Efa": (("Eva", W),), "Alys": (("Alice", W),),
    "Marged": (("Margaret", W), ("Mags", N)), "Siwan": (("Joan", W),), "Dewi": (("David", W),),
    "Mali": (("Molly", W),), "Gwyneth": (("Gwen", N),), "Angharad": (("Angie", N),), "Gareth": (("Gaz", N),),
    "Rhiannon": (("Rhi", N),), "Bethan": (("Beth", N),), "Gethin": (("Geth", N),),
    "John": (("Siôn", W), ("Johnny", N), ("Jack", N)), "David": (("Dafydd", W), ("Dai", N), ("Dave", N)),
    "Reece": (("Rhys", W),), "Thomas": (("Tom", N), ("Tomos", W), ("Tommy", N)),
    "William": (("Will", N), ("Bill", N), ("Gwilym", W), ("Billy", N)), "Robert": (("Rob", N), ("Bob", N)),
    "Michael": (("Mike", N), ("Mick", N)), "Christopher": (("Chris", N),), "Matthew": (("Matt", N),),
    "Daniel": (("Dan", N), ("Danny", N)), "James": (("Jim", N), ("Jamie", N), ("Iago", W)),
    "Joshua": (("Josh", N),), "Jacob": (("Jake", N),), "Anthony": (("Tony", N),),
    "Stephen": (("Steve", N), ("Steffan", W)), "Richard": (("Rich", N), ("Rhisiart", W)),
    "Andrew": (("Andy", N),), "Alfred": (("Alfie", N), ("Alf", N)), "Oliver": (("Ollie", N),),
    "Margaret": (("Maggie", N), ("Peggy", N), ("Marged", W)), "Elizabeth": (("Liz", N), ("Beth", N), ("Lisa", N)),
    "Catherine": (("Kate", N), ("Cathy", N), ("Catrin", W)), "Jennifer": (("Jenny", N), ("Jen", N)),
    "Victoria": (("Vicky", N), ("Tori", N)), "Samantha": (("Sam", N),), "Rebecca": (("Becky", N),),
    "Jessica": (("Jess", N),), "Isabella": (("Bella", N), ("Izzy", N)), "Charlotte": (("Charlie", N),),
    "Nicola": (("Nicky", N),), "Amelia": (("Millie", N),), "Olivia": (("Liv", N),), "Joanne": (("Jo", N),),
    "Susan": (("Sue", N),), "Megan": (("Meg", N),), "Helen": (("Elen", W),), "Sarah": (("Sara", W),),
    "Harry": (("Harri", W),), "Evie": (("Efa", W),), "Alice": (("Alys", W),),
}  # fmt: skip

TOWNS = (
    ("Caerdydd", "CF", (5, 10, 11, 14, 23, 24)), ("Abertawe", "SA", (1, 2, 5, 6)), ("Casnewydd", "NP", (19, 20)),
    ("Wrecsam", "LL", (11, 12, 13)), ("Bangor", "LL", (57,)), ("Caerfyrddin", "SA", (31,)),
    ("Aberystwyth", "SY", (23,)), ("Merthyr Tudful", "CF", (47, 48)), ("Pontypridd", "CF", (37,)),
    ("Llanelli", "SA", (14, 15)), ("Pen-y-bont ar Ogwr", "CF", (31,)), ("Y Rhyl", "LL", (18,)),
    ("Caernarfon", "LL", (55,)), ("Y Barri", "CF", (62, 63)), ("Llandrindod", "LD", (1,)),
)  # fmt: skip
STREETS = (
    "Heol y Parc", "Stryd Fawr", "High Street", "Church Road", "Ffordd yr Orsaf", "Maes y Coed", "Clos y Wern",
    "Bryn Awel", "Station Road", "Park Crescent", "Heol Dewi", "Lôn Las", "Tan y Bryn", "Victoria Street",
    "Heol Glyndŵr", "Maes Glas", "Cae Mawr", "Ffordd Penrhos", "Mill Lane", "Queen Street", "Heol y Nant",
    "Gerddi'r Castell", "Pen y Groes", "Rhodfa'r Môr", "Allt yr Yn",
)  # fmt: skip
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

OCR_CONFUSIONS = (
    ("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("w", "vv"), ("o", "0"), ("O", "0"), ("l", "1"),
    ("I", "l"), ("i", "l"), ("S", "5"), ("B", "8"), ("e", "c"), ("c", "e"), ("h", "b"), ("n", "h"), ("u", "v"),
    ("a", "o"), ("g", "q"), ("E", "F"), ("D", "O"), ("ll", "11"), ("y", "v"),
)  # fmt: skip
KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass
class Household:
    family_id: str
    moves: list[tuple[datetime.date, str, str]]  # (from this day, postcode, address), the first from the start


@dataclass
class Person:
    person_id: str
    given: str
    middle: str
    family: str  # the surname at the start of the period (a maiden name, for a woman who marries in it)
    sex: str
    dob: datetime.date
    nhs: str
    family_id: str
    child: bool
    known_as: str = ""  # a preferred form of the given name, or the middle name, that some agencies record
    known_as_kind: str = ""
    renamed: tuple[datetime.date, str, str] | None = None  # (from this day, new surname, "marriage" or child's)
    twin_of: str | None = None
    cousin_same_name_of: str | None = None


@dataclass
class Record:
    record_id: str
    person_id: str
    agency_id: int
    day: datetime.date  # when the agency recorded the person
    kinds: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Dataset:
    people: list[Person]
    records: list[Record]
    households: dict[str, Household]


def nhs_check_digit(nine: str) -> int | None:
    """Modulus 11 over weights 10..2; None when the remainder makes 10 (such numbers are never issued)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_valid(number: str) -> bool:
    if len(number) != 10 or not number.isdigit():
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


class _Builder:
    """Makes the households and people of one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.households: dict[str, Household] = {}
        self.nhs_used: set[str] = set()
        self.postcodes: list[tuple[str, str, str]] = []  # (town, postcode, street)
        for town, area, districts in TOWNS:
            for _ in range(60 * len(districts)):
                postcode = (
                    f"{area}{self.rng.choice(districts)} {self.rng.randint(1, 9)}"
                    f"{self.rng.choice(POSTCODE_LETTERS)}{self.rng.choice(POSTCODE_LETTERS)}"
                )
                self.postcodes.append((town, postcode, self.rng.choice(STREETS)))

    # identities -------------------------------------------------------------------------------------------------
    def surname(self) -> str:
        roll = self.rng.random()
        if roll < 0.64:
            return _weighted(self.rng, WELSH_SURNAMES)
        if roll < 0.88:
            return _weighted(self.rng, ENGLISH_SURNAMES)
        if roll < 0.95:
            return _weighted(self.rng, OTHER_SURNAMES)
        if roll < 0.985:
            return _weighted(self.rng, DOUBLE_BARRELLED)
        return self.rng.choice(list(PATRONYMIC))

    def given(self, sex: str, welsh: bool, avoid: tuple[str, ...] = ()) -> str:
        welsh_names, english_names = (WELSH_MALE, ENGLISH_MALE) if sex == "male" else (WELSH_FEMALE, ENGLISH_FEMALE)
        while True:
            name = self.rng.choice(welsh_names if self.rng.random() < (0.75 if welsh else 0.2) else english_names)
            if name not in avoid:
                return name

    def nhs(self, after: str | None = None) -> str:
        """A new 999-range number; after a twin's, the next one issued (as numbers are given out at birth)."""
        base = int(after[:9]) if after else None
        while True:
            if base is not None:
                base += 1
                nine = str(base)
            else:
                nine = f"999{self.rng.randrange(1_000_000):06d}"
            check = nhs_check_digit(nine)
            number = f"{nine}{check}"
            if check is not None and number not in self.nhs_used:
                self.nhs_used.add(number)
                return number

    def address(self, near: str | None = None) -> tuple[str, str]:
        candidates = [p for p in self.postcodes if p[0] == near] if near and self.rng.random() < 0.6 else []
        town, postcode, street = self.rng.choice(candidates or self.postcodes)
        return postcode, f"{self.rng.randint(1, 140)} {street}, {town}"

    def person(
        self, family_id: str, sex: str, dob: datetime.date, family: str, welsh: bool,
        *, given: str = "", avoid: tuple[str, ...] = (), nhs: str = "",
    ) -> Person:  # fmt: skip
        child = dob.year >= 2005
        given = given or self.given(sex, welsh, avoid=avoid)
        middle = self.given(sex, welsh, avoid=(given,)) if self.rng.random() < 0.55 else ""
        p = Person(
            person_id=f"P{len(self.people) + 1:06d}",
            given=given,
            middle=middle,
            family=family,
            sex=sex,
            dob=dob,
            nhs=nhs or self.nhs(),
            family_id=family_id,
            child=child,
        )
        if middle and self.rng.random() < 0.12:
            p.known_as, p.known_as_kind = middle, "first_middle_swap"
        elif given in NAME_FORMS and self.rng.random() < 0.35:
            p.known_as, p.known_as_kind = self.rng.choice(NAME_FORMS[given])
        self.people.append(p)
        return p

    def birth(self, low: int, high: int) -> datetime.date:
        return _day_between(self.rng, datetime.date(low, 1, 1), datetime.date(high, 12, 31))

    # households -------------------------------------------------------------------------------------------------
    def household(self) -> None:
        rng = self.rng
        family_id = f"H{len(self.households) + 1:05d}"
        postcode, address = self.address()
        home = Household(family_id, [(FIRST_DAY, postcode, address)])
        self.households[family_id] = home
        town = address.rsplit(", ", 1)[1]
        for _ in range(2 if rng.random() < 0.04 else 1 if rng.random() < 0.17 else 0):  # moves in the period
            day = _day_between(rng, home.moves[-1][0] + datetime.timedelta(days=200), LAST_DAY)
            if day < LAST_DAY:
                home.moves.append((day, *self.address(near=town)))
        welsh = rng.random() < 0.4
        shape = rng.choices(("couple_children", "single_parent", "single", "couple", "three_generations"),
                            (45, 22, 15, 10, 8))[0]  # fmt: skip
        if shape == "single":
            sex = rng.choice(("male", "female"))
            self.person(family_id, sex, self.birth(1950, 2004), self.surname(), welsh)
            return
        mother_dob = self.birth(1960, 1998)
        father_surname = self.surname()
        maiden = self.surname()
        if shape == "three_generations":
            self.person(family_id, "female", self.birth(mother_dob.year - 35, mother_dob.year - 20), maiden, welsh)
        if shape in {"couple_children", "couple"}:
            married_before = rng.random() < 0.55
            wedding = rng.random() < 0.10 and not married_before
            mother_surname = father_surname if married_before and rng.random() < 0.85 else maiden
            mother = self.person(family_id, "female", mother_dob, mother_surname, welsh)
            self.person(family_id, "male", self.birth(mother_dob.year - 6, min(mother_dob.year + 3, 2000)),
                        father_surname, welsh)  # fmt: skip
            if wedding:
                day = _day_between(rng, FIRST_DAY + datetime.timedelta(days=300), LAST_DAY)
                new = f"{maiden}-{father_surname}" if rng.random() < 0.1 else father_surname
                if new != mother.family:
                    mother.renamed = (day, new, "marriage")
            children_surname = father_surname
            if not married_before and rng.random() < 0.3:  # unmarried parents: the mother's surname, or both
                children_surname = maiden
                if rng.random() < 0.25 and "-" not in maiden + father_surname and " " not in maiden + father_surname:
                    children_surname = f"{maiden}-{father_surname}"
            if shape == "couple_children":
                self.children(family_id, mother_dob, children_surname, welsh, wedding=mother.renamed)
        else:  # a single parent, or a mother with her own mother
            mother = self.person(family_id, "female", mother_dob, maiden, welsh)
            children_surname = father_surname if rng.random() < 0.5 else maiden
            kids = self.children(family_id, mother_dob, children_surname, welsh, wedding=None)
            if kids and rng.random() < 0.25:  # she marries during the period; the children may take his name
                day = _day_between(rng, FIRST_DAY + datetime.timedelta(days=300), LAST_DAY)
                partner = self.surname()
                if partner != maiden:
                    mother.renamed = (day, partner, "marriage")
                for kid in kids:
                    roll = rng.random()
                    new = partner if roll < 0.5 else f"{kid.family}-{partner}" if roll < 0.7 else kid.family
                    if new != kid.family:
                        kid.renamed = (max(day, kid.dob), new, "child_surname_change")

    def children(
        self, family_id: str, mother_dob: datetime.date, surname: str, welsh: bool,
        wedding: tuple[datetime.date, str, str] | None,
    ) -> list[Person]:  # fmt: skip
        rng = self.rng
        kids: list[Person] = []
        first_year = mother_dob.year + 18  # an older mother's children may be adults now
        if first_year > 2025:
            return kids
        year = rng.randint(first_year, min(2025, mother_dob.year + 40))
        for _ in range(rng.choices((1, 2, 3, 4), (38, 38, 17, 7))[0]):
            if year > 2025:
                break
            sex = rng.choice(("male", "female"))
            taken = tuple(k.given for k in kids)
            dob = self.birth(year, year)
            kid = self.person(family_id, sex, dob, surname, welsh, avoid=taken)
            kids.append(kid)
            if rng.random() < 0.03:  # twins: same birth date, surname and home, another given name
                twin_sex = sex if rng.random() < 0.6 else ("female" if sex == "male" else "male")
                twin = self.person(family_id, twin_sex, dob, surname, welsh, avoid=(*taken, kid.given),
                                   nhs=self.nhs(after=kid.nhs))  # fmt: skip
                twin.twin_of, kid.twin_of = kid.person_id, twin.person_id
                kids.append(twin)
            if rng.random() < 0.08 and "-" not in surname:  # a same-name cousin: the father's brother's son
                self.cousin(kid, welsh)
            year += rng.choice((1, 2, 2, 3, 4))
        if wedding and "-" not in surname and wedding[1] != surname:
            for kid in kids:  # the parents marry: children who had the mother's surname take the new one
                if rng.random() < 0.5:
                    kid.renamed = (max(wedding[0], kid.dob), wedding[1], "child_surname_change")
        return kids

    def cousin(self, kid: Person, welsh: bool) -> None:
        family_id = f"H{len(self.households) + 1:05d}"
        home = self.households[kid.family_id]
        town = home.moves[0][2].rsplit(", ", 1)[1]
        self.households[family_id] = Household(family_id, [(FIRST_DAY, *self.address(near=town))])
        mother_dob = self.birth(kid.dob.year - 38, kid.dob.year - 20)
        self.person(family_id, "female", mother_dob, kid.family, welsh)
        year = min(2025, kid.dob.year + self.rng.choice((-3, -2, -1, 0, 0, 1, 2, 3)))
        other = self.person(family_id, kid.sex, self.birth(max(year, 2005), max(year, 2005)), kid.family, welsh,
                            given=kid.given)  # fmt: skip
        other.cousin_same_name_of, kid.cousin_same_name_of = kid.person_id, other.person_id


class _Recorder:
    """Writes a person down as one agency would on one day, with that agency's habits and slips."""

    def __init__(self, rng: random.Random, households: dict[str, Household]) -> None:
        self.rng = rng
        self.households = households

    def agencies(self, p: Person, count: int) -> list[int]:
        pool = [HEALTH, SCHOOL, SOCIAL, POLICE, HEALTH] if p.child else [HEALTH, POLICE, SOCIAL, HOUSING, SCHOOL]
        weights = [5, 4, 3, 2, 1] if p.child else [4, 4, 3, 2, 2]
        chosen: list[int] = []
        for _ in range(count):
            left = [(a, w) for a, w in zip(pool, weights, strict=True) if a not in chosen] or list(
                zip(pool, weights, strict=True)
            )
            chosen.append(self.rng.choices([a for a, _ in left], [w for _, w in left])[0])
        return chosen

    def day(self, p: Person, agency: int) -> datetime.date:
        start = max(FIRST_DAY, p.dob)
        if agency == SCHOOL and p.child:
            start = max(start, p.dob.replace(year=p.dob.year + 4) if (p.dob.month, p.dob.day) != (2, 29) else p.dob)
        return _day_between(self.rng, min(start, LAST_DAY), LAST_DAY)

    def state(self, p: Person, day: datetime.date) -> tuple[str, str, str]:
        """The surname, postcode and address that were true on the day."""
        surname = p.renamed[1] if p.renamed and day >= p.renamed[0] else p.family
        _, postcode, address = [m for m in self.households[p.family_id].moves if m[0] <= day][-1]
        return surname, postcode, address

    def record(self, p: Person, agency: int, day: datetime.date, first: tuple[str, str, str]) -> Record:
        rng = self.rng
        kinds: list[str] = []
        surname, postcode, address = self.state(p, day)
        if surname != first[0] and p.renamed:
            kinds.append(p.renamed[2])
        if postcode != first[1]:
            kinds.append("moved")

        given = p.given
        if p.known_as and rng.random() < KNOWN_AS_RATE[agency]:
            given = p.known_as
            kinds.append(p.known_as_kind)
        elif given in NAME_FORMS and rng.random() < (0.06 if agency == POLICE else 0.02):
            given, kind = rng.choice(NAME_FORMS[given])
            kinds.append(kind)
        if p.middle:
            if rng.random() < 0.02:
                given = f"{p.middle} {p.given}"
                kinds.append("first_middle_swap")
            elif given == p.given and agency in {HEALTH, SOCIAL} and rng.random() < 0.35:
                given = f"{p.given} {p.middle}"
                kinds.append("middle_name_included")

        surname = self.surname_form(surname, kinds)
        if agency in ASCII_ONLY or rng.random() < 0.1:
            plain = (strip_accents(given), strip_accents(surname))
            if plain != (given, surname):
                given, surname = plain
                kinds.append("accents_dropped")
        if rng.random() < TYPO_RATE[agency]:
            given, surname = self.slip(given, surname, self.typo)
            kinds.append("typo")
        if rng.random() < OCR_RATE[agency]:
            given, surname = self.slip(given, surname, self.ocr)
            kinds.append("ocr")

        if (agency == POLICE and rng.random() < 0.08) or rng.random() < 0.015:
            postcode = address = ""
            kinds.append("postcode_missing")
        _, nhs_missing, dob_missing_child, dob_missing_adult = AGENCIES[agency]
        nhs = p.nhs
        if rng.random() < nhs_missing:
            nhs = ""
            kinds.append("nhs_missing")
        elif rng.random() < 0.015:
            nhs = self.transpose(nhs)
            kinds.append("nhs_transposition")
        dob = self.date_of_birth(p, agency, day, dob_missing_child if p.child else dob_missing_adult, kinds)
        return Record(
            record_id="",
            person_id=p.person_id,
            agency_id=agency,
            day=day,
            kinds=tuple(kinds),
            fields={
                "given_name": given,
                "family_name": surname,
                "date_of_birth": dob.isoformat() if dob else "",
                "sex": p.sex,
                "postcode": postcode,
                "address": address,
                "nhs_number": nhs,
                "agency_id": str(agency),
            },
        )

    def surname_form(self, surname: str, kinds: list[str]) -> str:
        rng = self.rng
        if ("-" in surname or " " in surname) and not surname.startswith(("ap ", "ab ")) and rng.random() < 0.3:
            parts = surname.replace("-", " ").split(" ")
            if rng.random() < 0.55:
                joined = "" if rng.random() < 0.4 else " " if "-" in surname else "-"
                kinds.append("double_barrel_split_joined")
                return joined.join(parts)
            kinds.append("double_barrel_part_dropped")
            return rng.choice((parts[0], parts[-1]))
        if surname in PATRONYMIC and rng.random() < 0.35:
            kinds.append("patronymic")
            prefix, name = surname.split(" ")
            return rng.choice((PATRONYMIC[surname], name, f"{prefix}{name}", f"{prefix.title()} {name}"))
        if surname in ANGLICISED and rng.random() < 0.04:
            kinds.append("patronymic")
            return ANGLICISED[surname]
        return surname

    def slip(self, given: str, surname: str, how: Callable[[str], str]) -> tuple[str, str]:
        if self.rng.random() < 0.55:
            return how(given), surname
        return given, how(surname)

    def typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 3:
            return text + text[-1]
        i = rng.randrange(1, len(text)) if rng.random() < 0.85 else 0
        roll = rng.random()
        if roll < 0.3 and i < len(text) - 1 and text[i] != text[i + 1]:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if roll < 0.55:
            return text[:i] + text[i + 1 :]
        if roll < 0.7:
            return text[:i] + text[i] + text[i:]
        row = next((r for r in KEYBOARD if text[i].lower() in r), None)
        if row is None:
            return text[:i] + text[i + 1 :]
        j = row.index(text[i].lower())
        near = row[j - 1] if j and (j == len(row) - 1 or rng.random() < 0.5) else row[j + 1]
        near = near.upper() if text[i].isupper() else near
        return text[:i] + near + text[i + 1 :]

    def ocr(self, text: str) -> str:
        rng = self.rng
        found = [(a, b) for a, b in OCR_CONFUSIONS if a in text]
        if not found:
            return self.typo(text)
        for a, b in rng.sample(found, min(len(found), 1 if rng.random() < 0.75 else 2)):
            at = [i for i in range(len(text)) if text.startswith(a, i)]  # the first change may have taken it
            if at:
                i = rng.choice(at)
                text = text[:i] + b + text[i + len(a) :]
        return text

    def transpose(self, nhs: str) -> str:
        """Two neighbouring figures swapped (never in the 999 prefix); modulus 11 catches every such slip."""
        places = [i for i in range(3, 9) if nhs[i] != nhs[i + 1]]
        if not places:
            return nhs[:9] + str((int(nhs[9]) + 1) % 10)
        i = self.rng.choice(places)
        return nhs[:i] + nhs[i + 1] + nhs[i] + nhs[i + 2 :]

    def date_of_birth(
        self, p: Person, agency: int, day: datetime.date, missing: float, kinds: list[str]
    ) -> datetime.date | None:
        rng = self.rng
        if rng.random() < missing:
            kinds.append("dob_missing")
            return None
        dob = p.dob
        if rng.random() < (0.03 if agency == POLICE else 0.02) and dob.day <= 12 and dob.day != dob.month:
            kinds.append("dob_day_month_swap")
            return dob.replace(month=dob.day, day=dob.month)
        if rng.random() < 0.012:
            year = str(dob.year)
            options = {int(year[:3] + str((int(year[3]) + d) % 10)) for d in (-1, 1)}
            options |= {int(year[:2] + year[3] + year[2]), dob.year - 10, dob.year + 10}
            for y in sorted(options):
                try:
                    candidate = dob.replace(year=y)
                except ValueError:  # 29 February
                    options.discard(y)
                    continue
                if y == dob.year or candidate > day or y < 1920:
                    options.discard(y)
            if options:
                kinds.append("dob_year_mistyped")
                return dob.replace(year=rng.choice(sorted(options)))
        return dob


RECORDS_PER_PERSON = ((1, 22), (2, 32), (3, 24), (4, 13), (5, 6), (6, 3))


def generate(people: int, seed: int) -> Dataset:
    """At least `people` people in whole households, and their records in a shuffled order."""
    builder = _Builder(seed)
    while len(builder.people) < people:
        builder.household()
    rng = builder.rng
    recorder = _Recorder(rng, builder.households)
    records: list[Record] = []
    counts, weights = zip(*RECORDS_PER_PERSON, strict=True)
    for p in builder.people:
        count = rng.choices(counts, weights)[0]
        seen = sorted((recorder.day(p, a), a) for a in recorder.agencies(p, count))
        first = recorder.state(p, seen[0][0])
        records.extend(recorder.record(p, agency, day, first) for day, agency in seen)
    rng.shuffle(records)
    for n, r in enumerate(records, start=1):
        r.record_id = str(n)
        r.fields["record_id"] = r.record_id
    return Dataset(people=builder.people, records=records, households=builder.households)


def write(dataset: Dataset, out: Path) -> dict[str, Path]:
    """The records as `cylch link` reads them, and the truth (person and error kinds) beside them."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"linkage_records": out / "fresh_records.csv", "linkage_truth": out / "fresh_truth.csv"}
    with paths["linkage_records"].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RECORD_COLUMNS)
        writer.writeheader()
        writer.writerows(r.fields for r in dataset.records)
    with paths["linkage_truth"].open("w", newline="", encoding="utf-8") as handle:
        truth = csv.writer(handle)
        truth.writerow(("record_id", "true_person_key", "error_kinds"))
        truth.writerows((r.record_id, r.person_id, " ".join(r.kinds)) for r in dataset.records)
    return paths
