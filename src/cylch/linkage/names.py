"""Name forms that refer to one person: nicknames (the `nicknames` package) and Welsh/English forms.

`name_forms("Bill")` is the set of folded names Bill may stand for or be written as
({"bill", "william", "will", ...}); two given names are *alternative forms* when their form
sets meet. Welsh forms, and the short forms Welsh and Polish families use, are kept here because the
nicknames package is built from English usage (it knows Kate for Catherine but not Cat for Catrin or Gaz for
Gareth).
"""

from __future__ import annotations

from functools import lru_cache

from nicknames import NickNamer

from cylch.people.text import fold_name

# Welsh form, English forms. Either may be the registered name; agencies often write the other.
WELSH_ENGLISH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sion", ("john", "jon", "shaun", "sean")),
    ("ioan", ("john", "evan")),
    ("ifan", ("evan", "ivan", "john")),
    ("iwan", ("evan", "ivan", "john")),
    ("dafydd", ("david", "dave", "dai")),
    ("dewi", ("david",)),
    ("dai", ("david",)),
    ("rhys", ("reece", "rees", "reese", "rice")),
    ("huw", ("hugh",)),
    ("tomos", ("thomas", "tom")),
    ("twm", ("tom", "thomas")),
    ("owain", ("owen", "eugene")),
    ("gruffudd", ("griffith", "griff", "gruff", "guto")),
    ("gruffydd", ("griffith", "griff", "gruff", "guto")),
    ("sior", ("george",)),
    ("emrys", ("ambrose",)),
    ("elis", ("ellis",)),
    ("iago", ("james", "jim")),
    ("mathew", ("matthew", "matt")),
    ("steffan", ("stephen", "steven", "steve")),
    ("gwilym", ("william", "bill", "will")),
    ("wiliam", ("william", "bill", "will")),
    ("harri", ("harry", "henry")),
    ("jac", ("jack", "jake", "john")),
    ("llywelyn", ("llewellyn", "lewis", "llew")),
    ("rhodri", ("roderick", "rod")),
    ("siarl", ("charles", "charlie")),
    ("pedr", ("peter",)),
    ("aled", ("alan",)),
    ("sian", ("jane", "janet", "jean")),
    ("sioned", ("janet", "jane")),
    ("siwan", ("joan", "jane")),
    ("mair", ("mary", "maria")),
    ("mari", ("mary", "maria")),
    ("elen", ("helen", "ellen", "elaine")),
    ("elin", ("ellen", "helen")),
    ("catrin", ("catherine", "katherine", "kathryn", "kate", "cath")),
    ("cadi", ("katie", "catherine")),
    ("alys", ("alice",)),
    ("gwenllian", ("gwendolen", "gwen")),
    ("marged", ("margaret", "maggie", "peggy")),
    ("mererid", ("margaret",)),
    ("eleri", ("eleanor",)),
    ("lowri", ("laura", "lori")),
    ("beca", ("rebecca", "becky")),
    ("nest", ("agnes",)),
    ("ceri", ("kerry", "carey")),
    ("lisa", ("elizabeth", "liz")),
    ("betsan", ("elizabeth", "betsy")),
    ("gwen", ("gwendolen", "gwenllian", "gwendolyn")),
    # Forms in use in Wales that the list above lacked.
    ("ieuan", ("evan", "john", "ifan", "ianto")),
    ("ianto", ("evan", "ifan", "ieuan")),
    ("siams", ("james",)),
    ("mai", ("may",)),
    ("efa", ("eve", "eva")),
    ("rhisiart", ("richard",)),
    ("robat", ("robert", "rob")),
    ("sieffre", ("geoffrey", "jeffrey")),
    ("hywel", ("howell", "howel")),
    ("ifor", ("ivor",)),
    ("meurig", ("maurice",)),
    ("morys", ("maurice", "morris")),
    ("tudur", ("tudor",)),
    ("alun", ("alan", "allan", "allen")),
    ("gerallt", ("gerald",)),
    ("iorwerth", ("edward",)),
    ("mali", ("mary", "molly", "mair")),
    ("nanw", ("ann", "anne", "nan")),
    ("nansi", ("nancy",)),
    ("sali", ("sally", "sarah")),
    ("sara", ("sarah",)),
    ("siani", ("jane", "sian")),
    ("shan", ("sian", "jane")),
    ("eluned", ("lynette", "luned")),
    ("annes", ("agnes", "nest")),
    ("mared", ("margaret", "marged")),
    ("pegi", ("peggy", "margaret")),
    ("begw", ("margaret", "marged")),
    ("megan", ("margaret", "meg", "marged")),
    ("buddug", ("victoria",)),
    ("gwladys", ("gladys",)),
    ("alis", ("alice", "alys")),
    ("dorti", ("dorothy",)),
    ("gwenhwyfar", ("guinevere", "jennifer")),
    ("bethan", ("elizabeth", "betsan", "beth")),
    ("elisabeth", ("elizabeth",)),
)

# Formal name, the short forms an agency may write for it that the nicknames package does not list.
SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dafydd", ("dafs",)),
    ("gareth", ("gaz",)),
    ("rhiannon", ("rhi",)),
    ("rhydian", ("rhyd",)),
    ("catrin", ("cat", "cati")),
    ("cerys", ("cez",)),
    ("bethan", ("beth",)),
    ("lewis", ("lew",)),
    ("charlotte", ("charlie", "lottie")),
    ("kathleen", ("kath",)),
    ("olivia", ("liv", "livvy")),
    ("isabella", ("bella", "izzy", "issy")),
    ("isabel", ("bella", "izzy", "issy")),
    ("isobel", ("bella", "izzy", "issy")),
    ("mohammed", ("mo",)),
    ("muhammad", ("mo",)),
    ("mohammad", ("mo",)),
    ("aleksander", ("olek",)),
    ("aleksandra", ("ola",)),
    ("katarzyna", ("kasia",)),
    ("małgorzata", ("gosia",)),
    ("jakub", ("kuba",)),
    ("tomasz", ("tomek",)),
    ("wojciech", ("wojtek",)),
    # English short forms the nicknames package lacks. One group's short forms are forms of each other too, so a
    # group never holds two names a family might give twins (Alfie and Freddie, Maisie and Daisy).
    ("dafydd", ("dei", "deio", "dafi")),
    # Hari is a short form of both; as a short form (not a Welsh group) it leaves Angharad and Harry apart.
    ("harri", ("hari",)),
    ("angharad", ("hari",)),
    ("abigail", ("abi", "abbie", "abby")),
    ("katherine", ("kath", "kathy")),
    ("catherine", ("kath", "cathy")),
    ("kathryn", ("kath", "kathy")),
    ("gwilym", ("gwil",)),
    ("iorwerth", ("iolo",)),
    ("gwen", ("gwenno",)),
    ("eleanor", ("nell", "nellie", "nelly", "nel")),
    ("helen", ("nell", "nellie", "nelly", "nel")),
    ("ellen", ("nell", "nellie", "nelly", "nel")),
    ("margaret", ("mags", "maggie", "meg", "megan")),
    ("alfred", ("alfie", "alf")),
    ("albert", ("bertie", "bert")),
    ("oliver", ("olly", "ollie")),
    ("evelyn", ("evie",)),
    ("millicent", ("millie",)),
    ("alexandra", ("lexi", "lexie")),
    ("angus", ("gus",)),
    ("robert", ("robbie", "rob", "bob")),
    ("bethany", ("beth",)),
    ("william", ("liam", "wil")),
    ("stanley", ("stan",)),
    ("callum", ("cal",)),
    ("louise", ("lulu",)),
    ("matilda", ("mattie", "tilly", "tilda")),
    ("florence", ("flossie", "flo")),
    ("henrietta", ("hettie",)),
    ("gillian", ("jill", "gill")),
    ("katherine", ("kitty",)),
    ("madeleine", ("maddie",)),
    ("madison", ("maddie",)),
    ("rosemary", ("rosie",)),
    ("susan", ("suzy", "suzie", "sue")),
    ("natasha", ("tash", "tasha")),
)

# Welsh given names with no English form in the tables above: real names, so that one written with a slip (Awsn,
# Iestn) is read as a slip of it (`scoring.is_misspelling` needs one side to be a name the model knows), and two of
# them a letter apart (Gwyn, Gwen) are two names. The model's own name table was counted from records that have few.
WELSH_GIVEN_NAMES = frozenset(
    {
        "alaw",
        "aled",
        "alun",
        "aneirin",
        "aneurin",
        "angharad",
        "anwen",
        "arianwen",
        "arwel",
        "arwyn",
        "awel",
        "awen",
        "bedwyr",
        "bethan",
        "bleddyn",
        "branwen",
        "brychan",
        "buddug",
        "cadfan",
        "cadi",
        "cai",
        "caradog",
        "caron",
        "carwyn",
        "carys",
        "catrin",
        "ceinwen",
        "celyn",
        "ceri",
        "cerian",
        "cerys",
        "cledwyn",
        "cynan",
        "cynfael",
        "dafydd",
        "deian",
        "deiniol",
        "delyth",
        "dewi",
        "dilwyn",
        "dilys",
        "dwynwen",
        "dyfan",
        "dyfed",
        "dyfrig",
        "dylan",
        "efa",
        "efan",
        "eifion",
        "eiddwen",
        "eilir",
        "eiluned",
        "eira",
        "eirian",
        "eirlys",
        "eirys",
        "elain",
        "eleri",
        "elfed",
        "elin",
        "elis",
        "elliw",
        "eluned",
        "elwyn",
        "emlyn",
        "emrys",
        "emyr",
        "endaf",
        "enfys",
        "eurig",
        "eurgain",
        "ffion",
        "ffraid",
        "gaenor",
        "garmon",
        "geraint",
        "gethin",
        "glain",
        "glenys",
        "glesni",
        "glyn",
        "goronwy",
        "gruff",
        "gruffudd",
        "gruffydd",
        "guto",
        "gwawr",
        "gwenan",
        "gwendolen",
        "gweneth",
        "gwenfair",
        "gwenllian",
        "gwenno",
        "gwion",
        "gwydion",
        "gwyn",
        "gwyneth",
        "gwynfor",
        "haf",
        "hafwen",
        "hedd",
        "hefin",
        "heledd",
        "heulwen",
        "huw",
        "hywel",
        "ianto",
        "idris",
        "idwal",
        "iestyn",
        "ieuan",
        "ifan",
        "ifor",
        "illtud",
        "iolo",
        "ioan",
        "iorwerth",
        "islwyn",
        "iwan",
        "llinos",
        "llion",
        "llio",
        "lleucu",
        "llewelyn",
        "llyr",
        "llywelyn",
        "lowri",
        "mabli",
        "macsen",
        "madog",
        "mair",
        "mali",
        "manon",
        "mared",
        "marged",
        "meilyr",
        "meinir",
        "meirion",
        "meleri",
        "menna",
        "mererid",
        "morfudd",
        "morgan",
        "myfanwy",
        "nerys",
        "nesta",
        "nest",
        "nia",
        "non",
        "olwen",
        "osian",
        "owain",
        "peredur",
        "rhian",
        "rhiannon",
        "rhidian",
        "rhodri",
        "rhun",
        "rhydian",
        "rhys",
        "seren",
        "sian",
        "sioned",
        "siwan",
        "steffan",
        "taliesin",
        "tecwyn",
        "tegan",
        "tegid",
        "teleri",
        "tesni",
        "tirion",
        "trefor",
        "tudur",
        "tomos",
        "twm",
        "wyn",
        "wynne",
        "ynyr",
    }
)

_NAMER = NickNamer()

_WELSH_INDEX: dict[str, set[str]] = {}
for _welsh, _english in WELSH_ENGLISH:
    _group = {_welsh, *_english}
    for _name in _group:
        _WELSH_INDEX.setdefault(_name, set()).update(_group)

_SHORT_INDEX: dict[str, set[str]] = {}
for _formal, _shorts in SHORT_FORMS:
    # Folded as records are (Małgorzata -> malgorzata).
    for _name in (fold_name(_formal), *map(fold_name, _shorts)):
        _SHORT_INDEX.setdefault(_name, set()).update({fold_name(_formal), *map(fold_name, _shorts)})

# Figures a scanned or re-keyed form puts for the letters they look like (J0nes, E1is, 5ian). A figure is never part
# of a name, and folding would drop it (J0nes -> jnes): read as its letter, the name compares as itself.
OCR_FIGURE_LETTERS = {"0": "o", "1": "l", "2": "z", "5": "s", "6": "g", "8": "b"}
OCR_FIGURES = str.maketrans(OCR_FIGURE_LETTERS)

# Letter pairs a scanned form reads as one letter, and the letter ('Davicl' is David, 'Ernily' Emily).
OCR_LETTER_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))


def ocr_reading(folded: str) -> str:
    """`folded` with every letter pair a scan mistakes for one letter read as that letter."""
    for pair, letter in OCR_LETTER_PAIRS:
        folded = folded.replace(pair, letter)
    return folded


@lru_cache(maxsize=65536)
def undoubled(folded: str) -> str:
    """`folded` with every run of one letter written once ('gweenno' -> 'gweno'): names that differ only by a
    letter doubled are one name keyed twice, or two spellings of one."""
    return "".join(letter for i, letter in enumerate(folded) if i == 0 or letter != folded[i - 1])


def fold_recorded_name(value: str) -> str:
    """`fold_name` of a name as recorded, figures read as the letters they were mistaken for."""
    return fold_name(value.translate(OCR_FIGURES))


PLACEHOLDER_GIVEN_NAMES = frozenset({"baby", "unborn", "infant", "unknown", "babyof", "baby of", "newborn", "bb"})


def clean_given_name(value: str) -> str:
    """The folded first given name, or '' for a placeholder such as 'Baby' or 'Unborn'."""
    folded = fold_recorded_name(value)
    if not folded or folded in PLACEHOLDER_GIVEN_NAMES or folded.startswith("baby "):
        return ""
    return folded.split()[0].replace("'", "")


def middle_given_names(value: str) -> list[str]:
    """The folded given names after the first ('Sophie Lowri' -> ['lowri']): the name a person may be known by
    when an agency writes the middle name first, or alone."""
    folded = fold_recorded_name(value)
    if not folded or folded in PLACEHOLDER_GIVEN_NAMES or folded.startswith("baby "):
        return []
    return [name for name in (part.replace("'", "") for part in folded.split()[1:]) if len(name) > 1]


@lru_cache(maxsize=65536)
def name_forms(folded: str) -> frozenset[str]:
    """Every form `folded` may be another recording of: itself, nicknames, canonicals, Welsh/English forms."""
    if not folded:
        return frozenset()
    forms = {folded}
    forms |= _NAMER.nicknames_of(folded)
    forms |= _NAMER.canonicals_of(folded)
    forms |= _SHORT_INDEX.get(folded, set())
    for name in list(forms):
        forms |= _WELSH_INDEX.get(name, set())
    return frozenset(forms)


def welsh_forms(folded: str) -> frozenset[str]:
    """The Welsh/English group(s) `folded` belongs to (Dewi: {dewi, david}); empty if it is in none."""
    return frozenset(_WELSH_INDEX.get(folded, ()))


def are_alternative_forms(a: str, b: str) -> bool:
    """True when `a` and `b` (folded) may name the same person (Bill/William, Siôn/John, Dai/Dafydd).

    Either is a form of the other, or either's Welsh/English group meets the other's forms (Dewi and
    Dai are both David). The batch engine writes this same test in SQL over `name_forms` and `welsh_forms`.
    """
    if not a or not b or a == b:
        return False
    forms_a, forms_b = name_forms(a), name_forms(b)
    return b in forms_a or a in forms_b or bool(welsh_forms(a) & forms_b) or bool(welsh_forms(b) & forms_a)
