"""An independent synthetic UK/Welsh population for evaluating linkage only (issue #12, item 4).

Written separately from `cylch.synthetic` (and importing nothing from it): its own name lists, nickname and
Welsh/English form pairs, postcodes, NHS numbers and error model, including error kinds that generator does not
make (OCR-like character confusions, double-barrelled surnames split or joined, Welsh patronymics, first and middle
names swapped, an adult's records across a marriage, NHS-number transpositions, a mistyped year of birth).

Never train or tune on it: it exists so that figures are measured on data the model has not been shaped by.
One module although long: its name lists are data, and keeping the generator whole keeps it apart from ours.

  .venv/bin/python bench/linkage/independent.py --people 2000 --seed 11 --out /tmp/independent

writes `linkage_records.csv` (the columns `cylch link` reads), `linkage_truth.csv` (record_id, true_person_key,
error_kinds separated by ";") and `people.csv` (each true person, their family, twin and same-name cousin).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

RECORD_COLUMNS = ("record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number")
TRUTH_COLUMNS = ("record_id", "true_person_key", "error_kinds")
PEOPLE_COLUMNS = ("person_id", "family_id", "role", "given", "middle", "family", "birth_family", "dob", "sex", "nhs")

WELSH_MALE = [
    "Dafydd",
    "Gwilym",
    "Siôn",
    "Ieuan",
    "Rhys",
    "Gareth",
    "Owain",
    "Huw",
    "Iwan",
    "Emyr",
    "Geraint",
    "Llŷr",
    "Tomos",
    "Ioan",
    "Cai",
    "Osian",
    "Gruffudd",
    "Dewi",
    "Aled",
    "Elis",
    "Macsen",
    "Deiniol",
    "Tudur",
    "Iestyn",
]
WELSH_FEMALE = [
    "Siân",
    "Mair",
    "Catrin",
    "Angharad",
    "Rhiannon",
    "Nia",
    "Ffion",
    "Eleri",
    "Cerys",
    "Megan",
    "Lowri",
    "Gwenllian",
    "Elin",
    "Mali",
    "Seren",
    "Efa",
    "Alaw",
    "Heledd",
    "Manon",
    "Bethan",
    "Awen",
    "Nest",
    "Mererid",
    "Gwenno",
]
ENGLISH_MALE = [
    "John",
    "David",
    "William",
    "Thomas",
    "James",
    "Robert",
    "Michael",
    "Christopher",
    "Matthew",
    "Daniel",
    "Samuel",
    "Joseph",
    "Alexander",
    "Oliver",
    "Harry",
    "Jack",
    "George",
    "Edward",
    "Richard",
    "Stephen",
    "Anthony",
    "Benjamin",
    "Nicholas",
    "Jacob",
    "Noah",
    "Leo",
]
ENGLISH_FEMALE = [
    "Elizabeth",
    "Margaret",
    "Katherine",
    "Jennifer",
    "Rebecca",
    "Charlotte",
    "Jessica",
    "Eleanor",
    "Emily",
    "Sophie",
    "Olivia",
    "Amelia",
    "Isla",
    "Grace",
    "Lily",
    "Hannah",
    "Chloe",
    "Lucy",
    "Sarah",
    "Rachel",
    "Victoria",
    "Abigail",
    "Alice",
    "Florence",
    "Susan",
    "Deborah",
]

# Surnames with weights: Welsh surname concentration (Jones, Williams, Davies... cover a large share).
SURNAMES: dict[str, int] = {
    "Jones": 14, "Williams": 10, "Davies": 9, "Evans": 7, "Thomas": 7, "Roberts": 6, "Hughes": 5, "Lewis": 5,
    "Morgan": 4, "Griffiths": 4, "Edwards": 3, "Owen": 3, "Price": 3, "Rees": 3, "Jenkins": 3, "Powell": 2,
    "Parry": 2, "Pritchard": 2, "Lloyd": 2, "Vaughan": 2, "Howells": 2, "Pugh": 2, "Bevan": 2, "Probert": 1,
    "Prosser": 1, "Gwynne": 1, "Meredith": 1, "Smith": 3, "Brown": 2, "Taylor": 2, "Wilson": 2, "Johnson": 2,
    "Walker": 1, "Wright": 1, "Robinson": 1, "Thompson": 1, "White": 1, "Green": 1, "Hall": 1, "Wood": 1,
    "Clarke": 1, "Turner": 1, "Hill": 1, "Moore": 1, "Cooper": 1, "Harris": 1, "Baker": 1, "Kelly": 1,
    "Mitchell": 1, "Campbell": 1, "O'Brien": 1, "McDonald": 1,
}  # fmt: skip
DOUBLE_BARRELLED = [
    "Lloyd-Jones",
    "Wynne-Jones",
    "Vaughan-Thomas",
    "Rhys-Evans",
    "Powell-Williams",
    "Hughes-Parry",
    "Prys-Davies",
    "Lloyd-Williams",
    "Morgan-Owen",
    "Bowen-Jones",
]
PATRONYMIC_FATHERS = ("Gwilym", "Rhys", "Dafydd", "Owain", "Ioan", "Huw", "Iorwerth", "Tomos", "Siôn", "Emyr")

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Elizabeth": ("Beth", "Liz", "Lizzie", "Eliza"), "Margaret": ("Peggy", "Mags", "Maggie"),
    "Katherine": ("Kate", "Katie", "Kath"), "Jennifer": ("Jenny", "Jen"), "Rebecca": ("Becky", "Becca"),
    "Charlotte": ("Lottie", "Charlie"), "Jessica": ("Jess",), "Eleanor": ("Ellie", "Nell"),
    "Victoria": ("Vicky", "Tori"), "Abigail": ("Abi", "Abbie"), "Susan": ("Sue", "Susie"),
    "Deborah": ("Debbie", "Deb"), "William": ("Bill", "Will", "Billy"), "Robert": ("Bob", "Rob", "Bobby"),
    "Thomas": ("Tom", "Tommy"), "James": ("Jim", "Jamie"), "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris", "Kit"), "Matthew": ("Matt",), "Daniel": ("Dan", "Danny"), "Samuel": ("Sam", "Sammy"),
    "Joseph": ("Joe", "Joey"), "Alexander": ("Alex", "Sandy"), "Edward": ("Ed", "Ted", "Eddie"),
    "Richard": ("Rich", "Dick", "Rick"), "Stephen": ("Steve",), "Anthony": ("Tony",), "Benjamin": ("Ben",),
    "Nicholas": ("Nick",), "Dafydd": ("Dai", "Dafi"), "Gwilym": ("Wil", "Gwil"), "Gwenllian": ("Gwen",),
    "Rhiannon": ("Rhi",), "Gruffudd": ("Gruff",), "Tomos": ("Twm",), "Catrin": ("Cat",), "Angharad": ("Hari",),
}  # fmt: skip
WELSH_ENGLISH: dict[str, tuple[str, ...]] = {
    "Siôn": ("John",), "Dafydd": ("David",), "Gwilym": ("William",), "Ieuan": ("Evan",), "Ioan": ("John",),
    "Tomos": ("Thomas",), "Huw": ("Hugh",), "Owain": ("Owen",), "Rhys": ("Rees", "Reece"), "Dewi": ("David",),
    "Gruffudd": ("Griffith",), "Elis": ("Ellis",), "Siân": ("Jane", "Jean"), "Mair": ("Mary",),
    "Catrin": ("Catherine", "Katherine"), "Efa": ("Eve",), "Elin": ("Ellen", "Helen"), "Mali": ("Molly",),
    "Megan": ("Margaret",), "John": ("Siôn", "Ioan"), "David": ("Dafydd", "Dewi"), "William": ("Gwilym",),
    "Thomas": ("Tomos",), "Katherine": ("Catrin",), "Margaret": ("Megan",), "Evan": ("Ieuan",),
}  # fmt: skip

AREAS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "CF": ((3, 5, 10, 11, 14, 15, 23, 24, 31, 32, 37, 38, 40, 44, 47, 48, 61, 62, 63, 64, 72, 81, 82, 83),
           ("Cardiff", "Pontypridd", "Merthyr Tydfil", "Barry", "Bridgend", "Caerphilly")),
    "SA": ((1, 2, 3, 4, 5, 6, 7, 10, 11, 14, 15, 18, 31, 33, 39, 43, 48, 61, 62, 65, 72),
           ("Swansea", "Llanelli", "Carmarthen", "Neath", "Haverfordwest", "Cardigan")),
    "LL": ((11, 12, 13, 14, 15, 18, 23, 28, 29, 30, 32, 40, 41, 45, 53, 55, 57, 58, 61, 65, 77),
           ("Wrexham", "Bangor", "Caernarfon", "Llandudno", "Rhyl", "Holyhead")),
    "NP": ((4, 7, 10, 11, 12, 13, 15, 16, 18, 19, 20, 22, 23, 24, 25, 26, 44),
           ("Newport", "Cwmbran", "Abergavenny", "Ebbw Vale", "Monmouth", "Pontypool")),
}  # fmt: skip
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = (
    "Heol y Bryn", "Ffordd yr Eglwys", "Stryd Fawr", "High Street", "Church Road", "Station Road", "Maes y Coed",
    "Clos Derwen", "Lôn Las", "Victoria Street", "Park Avenue", "Tan y Bryn", "Bryn Awel", "Rhodfa'r Môr",
    "Cae Glas", "Pen y Graig", "Heol Llanishen", "Chapel Street", "Mill Lane", "Ffordd Penrhos",
)  # fmt: skip

# OCR-like confusions: (seen, read as), both ways.
OCR_CONFUSIONS = (("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("O", "0"), ("o", "0"), ("cl", "d"), ("d", "cl"))

# Error kinds and their weight when they apply to a record. The first block our own generator does not make.
ERROR_WEIGHTS: dict[str, float] = {
    "ocr": 1.0, "double_barrel": 4.0, "patronymic": 4.0, "first_middle_swap": 1.0, "marriage": 3.0,
    "nhs_transposition": 0.6, "dob_year": 0.7,
    "day_month_swap": 0.6, "nhs_missing": 1.5, "dob_missing": 0.6, "move": 1.5, "nickname": 1.2,
    "welsh_english": 1.0, "typo": 1.0, "diacritics": 1.5,
}  # fmt: skip
ERROR_KINDS = tuple(ERROR_WEIGHTS)
ERRORS_PER_RECORD = ((0, 0.40), (1, 0.35), (2, 0.18), (3, 0.07))
RECORDS_PER_PERSON = ((1, 0.20), (2, 0.30), (3, 0.25), (4, 0.25))


def nhs_check_digit(first_nine: str) -> int | None:
    """The NHS number's modulus-11 check digit for nine digits; None when the remainder makes it invalid (10)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_valid(number: str) -> bool:
    if len(number) != 10 or not number.isdigit():
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


@dataclass
class Person:
    person_id: str
    family_id: str
    role: str  # "adult" or "child"
    given: str
    middle: str
    family: str
    birth_family: str  # differs from `family` for an adult who took a spouse's surname
    sex: str
    dob: datetime.date
    nhs: str
    postcode: str
    address: str
    previous_postcode: str = ""
    previous_address: str = ""
    twin_of: str = ""
    cousin_same_name_of: str = ""


@dataclass
class Record:
    record_id: str
    person_id: str
    fields: dict[str, str]
    kinds: tuple[str, ...]


@dataclass
class Dataset:
    people: list[Person] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.nhs_taken: set[str] = set()
        self.surnames = list(SURNAMES)
        self.surname_weights = list(SURNAMES.values())

    # --- people -----------------------------------------------------------------------------------------------
    def nhs_number(self) -> str:
        while True:
            nine = "999" + "".join(self.rng.choice("0123456789") for _ in range(6))
            check = nhs_check_digit(nine)
            if check is not None and nine + str(check) not in self.nhs_taken:
                self.nhs_taken.add(nine + str(check))
                return nine + str(check)

    def postcode(self, area: str | None = None) -> tuple[str, str]:
        area = area or self.rng.choices(list(AREAS), weights=(5, 4, 3, 3))[0]
        districts, towns = AREAS[area]
        unit = "".join(self.rng.choice(UNIT_LETTERS) for _ in range(2))
        code = f"{area}{self.rng.choice(districts)} {self.rng.randint(1, 9)}{unit}"
        address = f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}, {self.rng.choice(towns)}"
        return code, address

    def surname(self) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return self.rng.choice(DOUBLE_BARRELLED)
        if roll < 0.08:
            father = self.rng.choice(PATRONYMIC_FATHERS)
            return ("ab " if father[0] in "AEIOUaeiou" else "ap ") + father
        return self.rng.choices(self.surnames, weights=self.surname_weights)[0]

    def given(self, sex: str, welsh: bool) -> str:
        pools = {("female", True): WELSH_FEMALE, ("female", False): ENGLISH_FEMALE}
        return self.rng.choice(pools.get((sex, welsh), WELSH_MALE if welsh else ENGLISH_MALE))

    def middle(self, sex: str, given: str) -> str:
        if self.rng.random() > 0.45:
            return ""
        while True:
            name = self.given(sex, self.rng.random() < 0.5)
            if name != given:
                return name

    def date(self, start: int, end: int) -> datetime.date:
        first = datetime.date(start, 1, 1)
        return first + datetime.timedelta(days=self.rng.randrange((datetime.date(end, 12, 31) - first).days))

    def person(self, dataset: Dataset, family_id: str, role: str, **values: object) -> Person:
        sex = str(values.pop("sex", None) or self.rng.choice(("female", "male")))
        welsh = self.rng.random() < 0.45
        given = str(values.pop("given", None) or self.given(sex, welsh))
        dob = values.pop("dob", None) or (self.date(1962, 2001) if role == "adult" else self.date(2006, 2025))
        person = Person(
            person_id=f"P{len(dataset.people) + 1:06d}",
            family_id=family_id,
            role=role,
            given=given,
            middle=self.middle(sex, given),
            sex=sex,
            dob=dob,  # type: ignore[arg-type]
            nhs=self.nhs_number(),
            **values,  # type: ignore[arg-type]
        )
        dataset.people.append(person)
        return person

    def family(self, dataset: Dataset, number: int, cousins_of: list[Person] | None) -> None:
        family_id = f"F{number:05d}"
        area = None
        if cousins_of:  # a sibling's family: same surname, same area, perhaps a child named as a cousin
            surname = cousins_of[0].family
            area = next(a for a in AREAS if cousins_of[0].postcode.startswith(a))
        else:
            surname = self.surname()
        postcode, address = self.postcode(area)
        home = {"postcode": postcode, "address": address}
        adults: list[Person] = []
        if self.rng.random() < 0.7:  # a couple; she takes his surname more often than not
            adults.append(
                self.person(dataset, family_id, "adult", sex="male", family=surname, birth_family=surname, **home)
            )
            birth = self.surname()
            married = surname if self.rng.random() < 0.6 and birth != surname else birth
            previous = self.postcode(area) if married != birth else ("", "")
            adults.append(
                self.person(
                    dataset, family_id, "adult", sex="female", family=married, birth_family=birth,
                    previous_postcode=previous[0], previous_address=previous[1], **home,
                )
            )  # fmt: skip
        else:
            adults.append(self.person(dataset, family_id, "adult", family=surname, birth_family=surname, **home))
        children = self.rng.choices((0, 1, 2, 3, 4), weights=(15, 25, 30, 20, 10))[0]
        kids: list[Person] = []
        for i in range(children):
            if i == 1 and self.rng.random() < 0.08:  # twins: same date of birth, different given names
                first = kids[0]
                sex = self.rng.choice(("female", "male"))
                while (given := self.given(sex, self.rng.random() < 0.45)) == first.given:
                    pass
                twin = self.person(
                    dataset, family_id, "child", sex=sex, given=given, dob=first.dob,
                    family=surname, birth_family=surname, twin_of=first.person_id, **home,
                )  # fmt: skip
                first.twin_of = twin.person_id
                kids.append(twin)
                continue
            kids.append(self.person(dataset, family_id, "child", family=surname, birth_family=surname, **home))
        singles = [k for k in kids if not k.twin_of]
        if cousins_of and singles and self.rng.random() < 0.5:  # a same-name cousin, born within two years
            cousin_kids = [p for p in cousins_of if p.role == "child" and not p.twin_of]
            if cousin_kids:
                cousin = self.rng.choice(cousin_kids)
                kid = singles[-1]
                kid.given, kid.sex, kid.cousin_same_name_of = cousin.given, cousin.sex, cousin.person_id
                kid.dob = min(
                    cousin.dob + datetime.timedelta(days=self.rng.randint(-730, 730)), datetime.date(2025, 12, 31)
                )
                cousin.cousin_same_name_of = kid.person_id

    # --- records ----------------------------------------------------------------------------------------------
    def applicable(self, person: Person) -> list[str]:
        kinds = ["ocr", "typo", "nhs_transposition", "dob_year", "nhs_missing", "dob_missing", "move"]
        if "-" in person.family:
            kinds.append("double_barrel")
        if person.family.startswith(("ap ", "ab ")):
            kinds.append("patronymic")
        if person.middle:
            kinds.append("first_middle_swap")
        if person.birth_family != person.family:
            kinds.append("marriage")
        if person.dob.day <= 12 and person.dob.day != person.dob.month:
            kinds.append("day_month_swap")
        if person.given in NICKNAMES:
            kinds.append("nickname")
        if person.given in WELSH_ENGLISH:
            kinds.append("welsh_english")
        if any(not c.isascii() for c in person.given + person.family + person.address):
            kinds.append("diacritics")
        return kinds

    def record(self, person: Person, record_id: str) -> Record:
        fields = {
            "record_id": record_id,
            "given_name": person.given,
            "family_name": person.family,
            "date_of_birth": person.dob.isoformat(),
            "sex": person.sex,
            "postcode": person.postcode,
            "address": person.address,
            "nhs_number": person.nhs,
        }
        wanted = self.rng.choices([n for n, _ in ERRORS_PER_RECORD], weights=[w for _, w in ERRORS_PER_RECORD])[0]
        pool = self.applicable(person)
        chosen: list[str] = []
        while pool and len(chosen) < wanted:
            kind = self.rng.choices(pool, weights=[ERROR_WEIGHTS[k] for k in pool])[0]
            pool.remove(kind)
            if self.apply(kind, person, fields, chosen):
                chosen.append(kind)
        if self.rng.random() < 0.1:  # some agencies write names in capitals (formatting, not an error kind)
            fields["given_name"], fields["family_name"] = fields["given_name"].upper(), fields["family_name"].upper()
        return Record(record_id=record_id, person_id=person.person_id, fields=fields, kinds=tuple(chosen))

    def apply(self, kind: str, person: Person, fields: dict[str, str], done: list[str]) -> bool:
        """Apply one error kind to a record's fields; False when it cannot change anything there."""
        rng = self.rng
        if kind in {"ocr", "typo"}:
            name = rng.choice(("given_name", "family_name"))
            changed = (ocr if kind == "ocr" else typo)(fields[name], rng)
            if changed is None or changed == fields[name]:
                other = "family_name" if name == "given_name" else "given_name"
                name, changed = other, (ocr if kind == "ocr" else typo)(fields[other], rng)
            if changed is None or changed == fields[name]:
                return False
            fields[name] = changed
        elif kind == "double_barrel":
            if "-" not in fields["family_name"]:
                return False
            first, last = fields["family_name"].split("-", 1)
            fields["family_name"] = rng.choice((f"{first} {last}", f"{first}{last}", last, last, first))
        elif kind == "patronymic":
            if not fields["family_name"].startswith(("ap ", "ab ")):
                return False
            particle, father = fields["family_name"].split(" ", 1)
            fields["family_name"] = rng.choice(
                (father, father, f"Ap-{father}", f"{'ab' if particle == 'ap' else 'ap'} {father}")
            )
        elif kind == "first_middle_swap":
            if fields["given_name"] != person.given:
                return False
            fields["given_name"] = person.middle if rng.random() < 0.7 else f"{person.middle} {person.given}"
        elif kind == "marriage":
            fields["family_name"] = person.birth_family
            if person.previous_postcode and rng.random() < 0.7:
                fields["postcode"], fields["address"] = person.previous_postcode, person.previous_address
        elif kind == "nhs_transposition":
            if not fields["nhs_number"]:
                return False
            digits = list(fields["nhs_number"])
            spots = [i for i in range(9) if digits[i] != digits[i + 1]]
            if not spots:
                return False
            i = rng.choice(spots)
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            fields["nhs_number"] = "".join(digits)
        elif kind in {"dob_year", "day_month_swap"}:
            if not fields["date_of_birth"]:
                return False
            dob = datetime.date.fromisoformat(fields["date_of_birth"])
            changed_dob = year_mistyped(dob, rng) if kind == "dob_year" else day_month_swapped(dob)
            if changed_dob is None or changed_dob == dob:
                return False
            fields["date_of_birth"] = changed_dob.isoformat()
        elif kind == "nhs_missing":
            if "nhs_transposition" in done:
                return False
            fields["nhs_number"] = ""
        elif kind == "dob_missing":
            if {"dob_year", "day_month_swap"} & set(done):
                return False
            fields["date_of_birth"] = ""
        elif kind == "move":
            if "marriage" in done and fields["postcode"] != person.postcode:
                return False
            area = fields["postcode"][:2] if rng.random() < 0.7 else None
            fields["postcode"], fields["address"] = self.postcode(area)
        elif kind in {"nickname", "welsh_english"}:
            table = NICKNAMES if kind == "nickname" else WELSH_ENGLISH
            if fields["given_name"] != person.given or person.given not in table:
                return False
            fields["given_name"] = rng.choice(table[person.given])
        elif kind == "diacritics":
            before = dict(fields)
            for name in ("given_name", "family_name", "address"):
                fields[name] = strip_accents(fields[name])
            return fields != before
        return True


def ocr(value: str, rng: random.Random) -> str | None:
    options = [(i, seen, read) for seen, read in OCR_CONFUSIONS for i in range(len(value)) if value.startswith(seen, i)]
    if not options:
        return None
    i, seen, read = rng.choice(options)
    return value[:i] + read + value[i + len(seen) :]


def typo(value: str, rng: random.Random) -> str | None:
    if len(value) < 4:
        return None
    i = rng.randrange(1, len(value) - 1)
    how = rng.choice(("delete", "double", "swap", "replace"))
    if how == "delete":
        return value[:i] + value[i + 1 :]
    if how == "double":
        return value[:i] + value[i] + value[i:]
    if how == "swap":
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    return value[:i] + rng.choice("aeiounrst") + value[i + 1 :]


def strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))


def year_mistyped(dob: datetime.date, rng: random.Random) -> datetime.date | None:
    """One digit of the year typed wrong: the last (mostly) or the one before it."""
    year = list(str(dob.year))
    place = 3 if rng.random() < 0.75 else 2
    year[place] = rng.choice([d for d in "0123456789" if d != year[place]])
    try:
        return dob.replace(year=int("".join(year)))
    except ValueError:  # 29 February in a year without one
        return None


def day_month_swapped(dob: datetime.date) -> datetime.date | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dob.replace(month=dob.day, day=dob.month)


def generate(people: int, seed: int) -> Dataset:
    """`people` true people in families, each with 1–4 agency records; records shuffled and numbered."""
    gen = Generator(seed)
    dataset = Dataset()
    number = 0
    while len(dataset.people) < people:
        number += 1
        cousins = None
        if dataset.people and gen.rng.random() < 0.25:
            family_id = gen.rng.choice(dataset.people).family_id
            cousins = [p for p in dataset.people if p.family_id == family_id]
            cousins = [p for p in cousins if p.role == "child"] and cousins
        gen.family(dataset, number, cousins or None)
    del dataset.people[people:]
    kept = {p.person_id for p in dataset.people}
    for p in dataset.people:  # a twin or cousin cut off by the truncation is no longer one
        p.twin_of = p.twin_of if p.twin_of in kept else ""
        p.cousin_same_name_of = p.cousin_same_name_of if p.cousin_same_name_of in kept else ""
    plan = []
    for p in dataset.people:
        count = gen.rng.choices([n for n, _ in RECORDS_PER_PERSON], weights=[w for _, w in RECORDS_PER_PERSON])[0]
        plan.extend([p] * count)
    gen.rng.shuffle(plan)
    dataset.records = [gen.record(p, str(i + 1)) for i, p in enumerate(plan)]
    return dataset


def write(dataset: Dataset, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.csv" for name in ("linkage_records", "linkage_truth", "people")}
    with paths["linkage_records"].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RECORD_COLUMNS)
        writer.writeheader()
        writer.writerows(r.fields for r in dataset.records)
    with paths["linkage_truth"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(TRUTH_COLUMNS)
        out.writerows((r.record_id, r.person_id, ";".join(r.kinds)) for r in dataset.records)
    with paths["people"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow((*PEOPLE_COLUMNS, "twin_of", "cousin_same_name_of"))
        out.writerows(
            (p.person_id, p.family_id, p.role, p.given, p.middle, p.family, p.birth_family, p.dob.isoformat(), p.sex,
             p.nhs, p.twin_of, p.cousin_same_name_of)
            for p in dataset.people
        )  # fmt: skip
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=11000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    dataset = generate(args.people, args.seed)
    write(dataset, args.out)
    print(f"{len(dataset.people):,} people, {len(dataset.records):,} records -> {args.out}")


if __name__ == "__main__":
    main()
