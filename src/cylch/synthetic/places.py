"""Real Welsh regions, councils and towns, so synthetic addresses look like the places practitioners know.

Councils carry their ONS (W06) codes and DfE local-authority numbers (the first three digits of a
unique pupil number). Towns carry real postcode districts; the streets and inward codes the
generator puts in them are invented, so no synthetic household is a real address.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    name: str
    districts: tuple[str, ...]
    weight: int


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    name_cy: str
    dfe_number: str
    population: int  # thousands, for weighting where households live
    welsh_first_language: float  # share of households speaking Welsh at home
    diversity: float  # share of households outside the White British majority
    towns: tuple[Town, ...]


@dataclass(frozen=True)
class RegionPlaces:
    code: str
    name: str
    name_cy: str
    police: tuple[str, str]
    health_board: tuple[str, str]
    police_prefix: str
    hospitals: tuple[tuple[str, str, str], ...]  # (hospital name, its Welsh name, ONS code of its council)
    authorities: tuple[Authority, ...]


GWENT = RegionPlaces(
    code="gwent",
    name="Gwent",
    name_cy="Gwent",
    police=("Gwent Police", "Heddlu Gwent"),
    health_board=("Aneurin Bevan University Health Board", "Bwrdd Iechyd Prifysgol Aneurin Bevan"),
    police_prefix="GW",
    hospitals=(
        ("Grange University Hospital", "Ysbyty Athrofaol y Faenor", "W06000020"),
        ("Royal Gwent Hospital", "Ysbyty Brenhinol Gwent", "W06000022"),
    ),
    authorities=(
        Authority(
            "W06000019",
            "Blaenau Gwent",
            "Blaenau Gwent",
            "677",
            67,
            0.02,
            0.03,
            (Town("Ebbw Vale", ("NP23",), 4), Town("Tredegar", ("NP22",), 3), Town("Abertillery", ("NP13",), 3)),
        ),
        Authority(
            "W06000018",
            "Caerphilly",
            "Caerffili",
            "676",
            176,
            0.04,
            0.03,
            (
                Town("Caerphilly", ("CF83",), 4),
                Town("Blackwood", ("NP12",), 3),
                Town("Bargoed", ("CF81",), 2),
                Town("Risca", ("NP11",), 2),
                Town("Ystrad Mynach", ("CF82",), 1),
            ),
        ),
        Authority(
            "W06000021",
            "Monmouthshire",
            "Sir Fynwy",
            "679",
            93,
            0.02,
            0.04,
            (
                Town("Abergavenny", ("NP7",), 3),
                Town("Monmouth", ("NP25",), 2),
                Town("Chepstow", ("NP16",), 2),
                Town("Caldicot", ("NP26",), 2),
            ),
        ),
        Authority(
            "W06000022",
            "Newport",
            "Casnewydd",
            "680",
            159,
            0.02,
            0.16,
            (Town("Newport", ("NP19", "NP20", "NP10", "NP18"), 10),),
        ),
        Authority(
            "W06000020",
            "Torfaen",
            "Tor-faen",
            "678",
            93,
            0.02,
            0.03,
            (Town("Cwmbran", ("NP44",), 5), Town("Pontypool", ("NP4",), 3), Town("Blaenavon", ("NP4",), 1)),
        ),
    ),
)

MID_AND_WEST_WALES = RegionPlaces(
    code="mid_west_wales",
    name="Mid and West Wales",
    name_cy="Canolbarth a Gorllewin Cymru",
    police=("Dyfed-Powys Police", "Heddlu Dyfed-Powys"),
    health_board=("Hywel Dda University Health Board", "Bwrdd Iechyd Prifysgol Hywel Dda"),
    police_prefix="DP",
    hospitals=(
        ("Glangwili General Hospital", "Ysbyty Cyffredinol Glangwili", "W06000010"),
        ("Bronglais General Hospital", "Ysbyty Cyffredinol Bronglais", "W06000008"),
        ("Withybush General Hospital", "Ysbyty Cyffredinol Llwynhelyg", "W06000009"),
    ),
    authorities=(
        Authority(
            "W06000010",
            "Carmarthenshire",
            "Sir Gaerfyrddin",
            "669",
            188,
            0.30,
            0.03,
            (
                Town("Llanelli", ("SA14", "SA15"), 5),
                Town("Carmarthen", ("SA31",), 3),
                Town("Ammanford", ("SA18",), 2),
                Town("Burry Port", ("SA16",), 1),
            ),
        ),
        Authority(
            "W06000008",
            "Ceredigion",
            "Ceredigion",
            "667",
            71,
            0.40,
            0.04,
            (
                Town("Aberystwyth", ("SY23",), 4),
                Town("Cardigan", ("SA43",), 2),
                Town("Lampeter", ("SA48",), 1),
                Town("Aberaeron", ("SA46",), 1),
            ),
        ),
        Authority(
            "W06000009",
            "Pembrokeshire",
            "Sir Benfro",
            "668",
            123,
            0.12,
            0.03,
            (
                Town("Haverfordwest", ("SA61", "SA62"), 3),
                Town("Milford Haven", ("SA73",), 2),
                Town("Pembroke Dock", ("SA72",), 2),
                Town("Tenby", ("SA70",), 1),
                Town("Fishguard", ("SA65",), 1),
            ),
        ),
        Authority(
            "W06000023",
            "Powys",
            "Powys",
            "666",
            133,
            0.12,
            0.03,
            (
                Town("Newtown", ("SY16",), 3),
                Town("Welshpool", ("SY21",), 2),
                Town("Brecon", ("LD3",), 2),
                Town("Llandrindod Wells", ("LD1",), 2),
                Town("Builth Wells", ("LD2",), 1),
                Town("Ystradgynlais", ("SA9",), 1),
            ),
        ),
    ),
)

NORTH_WALES = RegionPlaces(
    code="north_wales",
    name="North Wales",
    name_cy="Gogledd Cymru",
    police=("North Wales Police", "Heddlu Gogledd Cymru"),
    health_board=("Betsi Cadwaladr University Health Board", "Bwrdd Iechyd Prifysgol Betsi Cadwaladr"),
    police_prefix="NW",
    hospitals=(
        ("Ysbyty Gwynedd", "Ysbyty Gwynedd", "W06000002"),
        ("Ysbyty Glan Clwyd", "Ysbyty Glan Clwyd", "W06000004"),
        ("Wrexham Maelor Hospital", "Ysbyty Maelor Wrecsam", "W06000006"),
    ),
    authorities=(
        Authority(
            "W06000001",
            "Isle of Anglesey",
            "Ynys Môn",
            "660",
            69,
            0.50,
            0.02,
            (
                Town("Holyhead", ("LL65",), 3),
                Town("Llangefni", ("LL77",), 2),
                Town("Amlwch", ("LL68",), 1),
                Town("Menai Bridge", ("LL59",), 1),
            ),
        ),
        Authority(
            "W06000002",
            "Gwynedd",
            "Gwynedd",
            "661",
            117,
            0.60,
            0.03,
            (
                Town("Bangor", ("LL57",), 3),
                Town("Caernarfon", ("LL55",), 3),
                Town("Pwllheli", ("LL53",), 1),
                Town("Dolgellau", ("LL40",), 1),
                Town("Blaenau Ffestiniog", ("LL41",), 1),
            ),
        ),
        Authority(
            "W06000003",
            "Conwy",
            "Conwy",
            "662",
            114,
            0.20,
            0.03,
            (
                Town("Llandudno", ("LL30",), 3),
                Town("Colwyn Bay", ("LL29",), 3),
                Town("Abergele", ("LL22",), 2),
                Town("Conwy", ("LL32",), 1),
            ),
        ),
        Authority(
            "W06000004",
            "Denbighshire",
            "Sir Ddinbych",
            "663",
            96,
            0.18,
            0.03,
            (
                Town("Rhyl", ("LL18",), 4),
                Town("Prestatyn", ("LL19",), 2),
                Town("Denbigh", ("LL16",), 1),
                Town("Ruthin", ("LL15",), 1),
            ),
        ),
        Authority(
            "W06000005",
            "Flintshire",
            "Sir y Fflint",
            "664",
            155,
            0.05,
            0.03,
            (
                Town("Mold", ("CH7",), 2),
                Town("Flint", ("CH6",), 2),
                Town("Connah's Quay", ("CH5",), 2),
                Town("Buckley", ("CH7",), 1),
                Town("Holywell", ("CH8",), 1),
            ),
        ),
        Authority(
            "W06000006",
            "Wrexham",
            "Wrecsam",
            "665",
            135,
            0.05,
            0.07,
            (Town("Wrexham", ("LL11", "LL12", "LL13"), 6), Town("Chirk", ("LL14",), 1)),
        ),
    ),
)

# The Welsh name of each town whose Welsh name differs from its English one (the rest are the same in both).
TOWN_NAMES_CY: dict[str, str] = {
    "Ebbw Vale": "Glynebwy",
    "Abertillery": "Abertyleri",
    "Caerphilly": "Caerffili",
    "Blackwood": "Coed-duon",
    "Bargoed": "Bargod",
    "Risca": "Rhisga",
    "Abergavenny": "Y Fenni",
    "Monmouth": "Trefynwy",
    "Chepstow": "Cas-gwent",
    "Caldicot": "Cil-y-coed",
    "Newport": "Casnewydd",
    "Cwmbran": "Cwmbrân",
    "Pontypool": "Pont-y-pŵl",
    "Blaenavon": "Blaenafon",
    "Carmarthen": "Caerfyrddin",
    "Ammanford": "Rhydaman",
    "Burry Port": "Porth Tywyn",
    "Cardigan": "Aberteifi",
    "Lampeter": "Llanbedr Pont Steffan",
    "Haverfordwest": "Hwlffordd",
    "Milford Haven": "Aberdaugleddau",
    "Pembroke Dock": "Doc Penfro",
    "Tenby": "Dinbych-y-pysgod",
    "Fishguard": "Abergwaun",
    "Newtown": "Y Drenewydd",
    "Welshpool": "Y Trallwng",
    "Brecon": "Aberhonddu",
    "Llandrindod Wells": "Llandrindod",
    "Builth Wells": "Llanfair-ym-Muallt",
    "Holyhead": "Caergybi",
    "Menai Bridge": "Porthaethwy",
    "Colwyn Bay": "Bae Colwyn",
    "Rhyl": "Y Rhyl",
    "Denbigh": "Dinbych",
    "Ruthin": "Rhuthun",
    "Mold": "Yr Wyddgrug",
    "Flint": "Y Fflint",
    "Connah's Quay": "Cei Connah",
    "Buckley": "Bwcle",
    "Holywell": "Treffynnon",
    "Wrexham": "Wrecsam",
    "Chirk": "Y Waun",
}


def town_name_cy(town: str) -> str:
    """A town's Welsh name as it reads inside a longer name ("Ysgol Gyfun y Fenni": the article in lower case)."""
    welsh = TOWN_NAMES_CY.get(town, town)
    for article in ("Y ", "Yr "):
        if welsh.startswith(article):
            return article.lower() + welsh[len(article) :]
    return welsh


REGIONS: dict[str, RegionPlaces] = {r.code: r for r in (GWENT, MID_AND_WEST_WALES, NORTH_WALES)}
DEFAULT_REGION = GWENT.code

STREET_NAMES: tuple[str, ...] = (
    "High Street",
    "Church Road",
    "Station Road",
    "Commercial Street",
    "Park View",
    "Victoria Road",
    "Mill Lane",
    "Heol y Parc",
    "Ffordd yr Orsaf",
    "Stryd Fawr",
    "Maes y Coed",
    "Bryn Terrace",
    "Heol Newydd",
    "Tan y Bryn",
    "Cae Mawr",
    "Glan yr Afon",
    "Hillside Crescent",
    "Oakfield Road",
    "Queen Street",
    "King Street",
    "Chapel Street",
    "Brynteg Avenue",
    "Pen y Dre",
    "Maes Glas",
    "Heol Tŷ Gwyn",
    "Llys Derwen",
    "Clos Celyn",
    "Windsor Road",
    "Ash Grove",
    "The Rise",
    "Meadow Close",
    "Woodland Drive",
    "Picton Terrace",
    "Pentwyn Road",
    "Heol Llanelli",
    "Coed Glas",
    "Cwrt y Felin",
    "Railway Terrace",
    "School Lane",
    "Bethesda Street",
)

# Inward-code letters: UK postcodes never use C, I, K, M, O or V in the last two characters.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
