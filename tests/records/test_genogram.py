"""The genogram: standard symbols, rows by generation, escaped text and a text alternative."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from cylch.people.models import RelationshipKind, Sex
from cylch.records.genogram import GenogramLink, GenogramPerson, genogram_people, genogram_svg
from tests.factories import PersonFactory, RelationshipFactory

SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime.date(2025, 6, 1)


def _person(key: int, name: str, sex: str = Sex.FEMALE, generation: int = 0, **kwargs: object) -> GenogramPerson:
    return GenogramPerson(key=key, name=name, sex=sex, birth_label="", generation=generation, order=(key,), **kwargs)  # type: ignore[arg-type]


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def _group(root: ET.Element, key: int) -> ET.Element:
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("data-person") == str(key)]
    return group


def test_the_svg_is_an_accessible_image_with_a_title_and_description():
    drawing = genogram_svg([_person(1, "Cerys", is_subject=True)], [])
    root = _tree(drawing.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "genogram-title genogram-desc"
    assert root.find(f"{SVG}title").text == "Genogram of Cerys"
    assert "Cerys" in root.find(f"{SVG}desc").text


def test_symbols_follow_genogram_conventions():
    people = [
        _person(1, "Child", Sex.FEMALE, is_subject=True),
        _person(2, "Father", Sex.MALE, generation=-1),
        _person(3, "Sibling", Sex.NOT_KNOWN),
        _person(4, "Baby", Sex.NOT_KNOWN, is_unborn=True),
        _person(5, "Grandmother", Sex.FEMALE, generation=-2, deceased=True),
    ]
    root = _tree(genogram_svg(people, []).svg)
    assert _group(root, 1).find(f"{SVG}circle") is not None  # female
    assert len(_group(root, 1).findall(f"{SVG}circle")) == 2  # the child: a double outline
    assert _group(root, 2).find(f"{SVG}rect") is not None  # male
    assert _group(root, 3).find(f"{SVG}polygon").get("points").count(",") == 4  # diamond: four corners
    assert _group(root, 4).find(f"{SVG}polygon").get("points").count(",") == 3  # unborn: triangle
    assert _group(root, 5).find(f"{SVG}path") is not None  # died: a cross


def test_parents_are_drawn_above_and_children_below_the_child():
    people = [
        _person(1, "Child", is_subject=True),
        _person(2, "Mother", generation=-1),
        _person(3, "Nain", generation=-2),
    ]
    root = _tree(genogram_svg(people, [GenogramLink(person=1, relative=2, kind=RelationshipKind.PARENT)]).svg)

    def y(key: int) -> float:
        return float(_group(root, key).find(f"{SVG}circle").get("cy"))

    assert y(3) < y(2) < y(1)
    assert any(p.get("class") == "genogram-descent" for p in root.iter(f"{SVG}path"))


def test_ended_relationships_are_dashed():
    people = [_person(1, "Child", is_subject=True), _person(2, "A", Sex.MALE, -1), _person(3, "B", Sex.FEMALE, -1)]
    links = [
        GenogramLink(person=2, relative=3, kind=RelationshipKind.PARTNER, ended=True),
        GenogramLink(person=1, relative=2, kind=RelationshipKind.PARENT),
        GenogramLink(person=1, relative=3, kind=RelationshipKind.PARENT),
    ]
    root = _tree(genogram_svg(people, links).svg)
    [partners] = [p for p in root.iter(f"{SVG}path") if p.get("class") == "genogram-partners"]
    assert partners.get("stroke-dasharray") == "8 5"


def test_names_are_escaped():
    hostile = '<script>alert("x")</script> & Jones'
    drawing = genogram_svg([_person(1, hostile, is_subject=True)], [])
    assert "<script>" not in drawing.svg
    assert "&lt;script&gt;" in drawing.svg
    root = _tree(drawing.svg)  # still well-formed XML
    assert hostile in "".join(root.itertext())


def test_household_members_are_shaded_and_listed_in_the_text():
    people = [
        _person(1, "Child", is_subject=True, in_household=True),
        _person(2, "Lodger", Sex.MALE, -1, in_household=True),
    ]
    drawing = genogram_svg(people, [])
    root = _tree(drawing.svg)
    assert "genogram-household" in _group(root, 2).get("class")
    assert drawing.text == ["Living with Child: Lodger"]


@pytest.mark.django_db
def test_built_from_relationship_rows_both_ways():
    child = PersonFactory(given_name="Cerys", family_name="Jones", date_of_birth=datetime.date(2016, 1, 1))
    mother = PersonFactory(given_name="Rhian", family_name="Jones", date_of_birth=datetime.date(1990, 1, 1))
    baby = PersonFactory(
        given_name="",
        family_name="",
        date_of_birth=None,
        is_unborn=True,
        expected_delivery_date=datetime.date(2025, 9, 1),
        sex=Sex.NOT_KNOWN,
    )
    rels = [
        RelationshipFactory(person=child, relative=mother, kind=RelationshipKind.PARENT),
        RelationshipFactory(person=baby, relative=child, kind=RelationshipKind.HALF_SIBLING, end_date=None),
    ]
    people, links = genogram_people(
        subject=child, relationships=rels, household_ids={mother.pk}, household_people=[mother], today=TODAY
    )
    rows = {p.key: p for p in people}
    assert rows[mother.pk].generation == -1
    assert rows[baby.pk].generation == 0 and rows[baby.pk].is_unborn  # noqa: PT018
    assert rows[child.pk].birth_label == "Age 9"
    assert rows[mother.pk].in_household
    drawing = genogram_svg(people, links)
    assert "Rhian Jones is the parent of Cerys Jones" in drawing.text
