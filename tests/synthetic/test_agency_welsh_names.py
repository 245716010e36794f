"""Every agency of a generated region, and so of the demo, has a Welsh name, so that a Welsh reader sees the
police, the health board's services, the schools and the council's services in Welsh."""

from __future__ import annotations

import pytest

from cylch.accounts.models import Agency
from cylch.synthetic.generator import TABLES, RegionConfig, Row, generate_region
from cylch.synthetic.places import REGIONS, town_name_cy
from cylch.synthetic.services import synthetic_region_load

# Words of an English name that a Welsh name should not carry.
ENGLISH_WORDS = ("Police", "Hospital", "School", "Service", "Centre", "Practice", "Team", "Council", "Health Board")


def _agencies(region: str) -> list[dict[str, object]]:
    rows: list[Row] = []
    for batch in generate_region(RegionConfig(people=400, seed=3, region=region)):
        rows.extend(batch.rows.get("agency", []))
    return [dict(zip(TABLES["agency"], row, strict=True)) for row in rows]


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_every_generated_agency_has_a_welsh_name_in_welsh(region):
    agencies = _agencies(region)
    assert agencies
    missing = [a["name"] for a in agencies if not str(a["name_cy"]).strip()]
    assert missing == []
    english = [a["name_cy"] for a in agencies if any(word in str(a["name_cy"]) for word in ENGLISH_WORDS)]
    assert english == []


def test_a_towns_welsh_name_reads_inside_a_longer_name():
    assert town_name_cy("Abergavenny") == "y Fenni"
    assert town_name_cy("Mold") == "yr Wyddgrug"
    assert town_name_cy("Newport") == "Casnewydd"
    assert town_name_cy("Tredegar") == "Tredegar"


@pytest.mark.django_db
def test_every_agency_of_the_loaded_demo_region_has_a_welsh_name():
    synthetic_region_load(people=300, seed=4)
    assert Agency.objects.exists()
    assert not Agency.objects.filter(name_cy="").exists()
    police = Agency.objects.get(kind="police")
    assert police.name_cy == "Heddlu Gwent"
