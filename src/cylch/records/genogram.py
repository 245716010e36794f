"""A genogram: the family around one child drawn as a server-rendered SVG, with the same facts as text.

One module although long: placing people in rows, drawing their symbols and lines, and the text alternative
are one layout, each step using the positions the one before it fixed.

Standard genogram conventions: a square is male, a circle female, a diamond sex not known and a
triangle an unborn child; a cross through a symbol means the person has died. The child the page is
about has a double outline. Parents and carers are drawn a row above the child, grandparents two rows
above, siblings, half-siblings and partners on the child's row and the child's own children below.
Partners are joined by a horizontal line; children hang from their parents' line. Step-parents,
partners of a parent and kinship or foster carers are joined to the child by a dotted line. An ended
relationship is dashed. People living in the child's household are shaded.

The module is pure: it takes plain data (`GenogramPerson`, `GenogramLink`) and returns text, so it
can be tested without a database. Every piece of text is escaped before it goes into the SVG.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cylch.people.models import Person, Relationship, RelationshipKind, Sex
from cylch.records.ages import age_band

COLUMN_WIDTH = 150
ROW_HEIGHT = 150
SYMBOL = 40
MARGIN = 30
LEGEND_HEIGHT = 110

# How many rows above (negative) or below the child each relationship puts the relative.
# A Relationship row reads "relative is the <kind> of person".
GENERATION_OF_RELATIVE: dict[str, int] = {
    RelationshipKind.PARENT: -1,
    RelationshipKind.STEP_PARENT: -1,
    RelationshipKind.PARTNER_OF_PARENT: -1,
    RelationshipKind.GRANDPARENT: -2,
    RelationshipKind.KINSHIP_CARER: -1,
    RelationshipKind.FOSTER_CARER: -1,
    RelationshipKind.SIBLING: 0,
    RelationshipKind.HALF_SIBLING: 0,
    RelationshipKind.PARTNER: 0,
    RelationshipKind.OTHER: 0,
}
CARE_KINDS = frozenset(
    {
        RelationshipKind.STEP_PARENT,
        RelationshipKind.PARTNER_OF_PARENT,
        RelationshipKind.KINSHIP_CARER,
        RelationshipKind.FOSTER_CARER,
    }
)
SIBLING_KINDS = frozenset({RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING})


@dataclass(frozen=True)
class GenogramPerson:
    key: int
    name: str
    sex: str
    birth_label: str
    is_subject: bool = False
    in_household: bool = False
    is_unborn: bool = False
    deceased: bool = False
    generation: int = 0
    order: tuple[object, ...] = ()


@dataclass(frozen=True)
class GenogramLink:
    """`relative` is the <kind> of `person` (as a Relationship row), `ended` when it has an end date."""

    person: int
    relative: int
    kind: str
    ended: bool = False


@dataclass
class Genogram:
    svg: str
    title: str
    description: str
    text: list[str] = field(default_factory=list)


@dataclass
class _Placed:
    who: GenogramPerson
    x: float
    y: float


def _birth_label(person: Person, today: datetime.date, *, restricted: bool = False) -> str:
    """The age under a symbol; for someone whose record the reader may not open, the age band at most (as the
    cards and tables beside the genogram show them)."""
    if restricted:
        return age_band(person, today) if person.date_of_death is None else ""
    if person.is_unborn:
        return _("Unborn")
    if person.date_of_birth is None:
        return ""
    if person.date_of_death is not None:
        return f"{person.date_of_birth.year}–{person.date_of_death.year}"
    age = person.age_on(today)
    return _("Age %(age)s") % {"age": age}


def genogram_people(
    *,
    subject: Person,
    relationships: Iterable[Relationship],
    household_ids: set[int],
    household_people: Iterable[Person] = (),
    today: datetime.date,
    detail_ids: set[int] | frozenset[int] | None = None,
) -> tuple[list[GenogramPerson], list[GenogramLink]]:
    """Turn the child's relationships (and those among their relatives) into genogram people and links.

    With `detail_ids`, anyone else outside it is labelled with an age band only (see `cylch.records.ages`)."""
    rels = list(relationships)
    people: dict[int, Person] = {subject.pk: subject}
    generation: dict[int, int] = {subject.pk: 0}
    for rel in rels:
        people.setdefault(rel.person_id, rel.person)
        people.setdefault(rel.relative_id, rel.relative)
    for rel in rels:  # direct relationships of the child fix each relative's row
        step = GENERATION_OF_RELATIVE.get(rel.kind, 0)
        if rel.person_id == subject.pk:
            generation.setdefault(rel.relative_id, step)
        elif rel.relative_id == subject.pk:
            generation.setdefault(rel.person_id, -step)
    for _round in range(3):  # relatives of relatives (a parent's partner, a sibling's other parent)
        for rel in rels:
            step = GENERATION_OF_RELATIVE.get(rel.kind, 0)
            if rel.person_id in generation and rel.relative_id not in generation:
                generation[rel.relative_id] = generation[rel.person_id] + step
            elif rel.relative_id in generation and rel.person_id not in generation:
                generation[rel.person_id] = generation[rel.relative_id] - step
    for other in household_people:  # someone who lives there but whose relationship is not recorded
        if other.pk not in generation:
            people[other.pk] = other
            generation[other.pk] = 0 if other.is_child else -1
    result = [
        GenogramPerson(
            key=pk,
            name=person.full_name or _("Unnamed person"),
            sex=person.sex,
            birth_label=_birth_label(
                person, today, restricted=detail_ids is not None and pk not in detail_ids and pk != subject.pk
            ),
            is_subject=pk == subject.pk,
            in_household=pk in household_ids or (pk == subject.pk and bool(household_ids)),
            is_unborn=person.is_unborn,
            deceased=person.date_of_death is not None,
            generation=generation.get(pk, 0),
            order=(
                person.date_of_birth is None and not person.is_unborn,
                person.date_of_birth or person.expected_delivery_date or datetime.date.max,
                pk,
            ),
        )
        for pk, person in people.items()
    ]
    links = [
        GenogramLink(person=rel.person_id, relative=rel.relative_id, kind=rel.kind, ended=rel.end_date is not None)
        for rel in rels
        if rel.person_id in people and rel.relative_id in people
    ]
    return result, links


def _row_order(row: list[GenogramPerson], links: list[GenogramLink]) -> list[GenogramPerson]:
    """Oldest first, with partners kept next to each other."""
    ordered = sorted(row, key=lambda p: p.order)
    partners = {frozenset((link.person, link.relative)) for link in links if link.kind == RelationshipKind.PARTNER}
    result: list[GenogramPerson] = []
    for person in ordered:
        if person in result:
            continue
        result.append(person)
        for other in ordered:
            if other not in result and frozenset((person.key, other.key)) in partners:
                result.append(other)
    return result


def _symbol(placed: _Placed) -> str:
    who, x, y = placed.who, placed.x, placed.y
    half = SYMBOL / 2
    classes = ["genogram-person"]
    if who.is_subject:
        classes.append("genogram-subject")
    if who.in_household:
        classes.append("genogram-household")
    fill = "#cce2d8" if who.in_household else "#ffffff"
    stroke = 'stroke="#0b0c0c" stroke-width="2"'
    if who.is_unborn:
        shape = f'<polygon points="{x},{y - half} {x + half},{y + half} {x - half},{y + half}" fill="{fill}" {stroke}/>'
        outer = (
            f'<polygon points="{x},{y - half - 7} {x + half + 6},{y + half + 4} {x - half - 6},{y + half + 4}" '
            'fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
    elif who.sex == Sex.MALE:
        shape = f'<rect x="{x - half}" y="{y - half}" width="{SYMBOL}" height="{SYMBOL}" fill="{fill}" {stroke}/>'
        outer = (
            f'<rect x="{x - half - 5}" y="{y - half - 5}" width="{SYMBOL + 10}" height="{SYMBOL + 10}" '
            'fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
    elif who.sex == Sex.FEMALE:
        shape = f'<circle cx="{x}" cy="{y}" r="{half}" fill="{fill}" {stroke}/>'
        outer = f'<circle cx="{x}" cy="{y}" r="{half + 5}" fill="none" stroke="#1d70b8" stroke-width="3"/>'
    else:
        diamond = f"{x},{y - half} {x + half},{y} {x},{y + half} {x - half},{y}"
        shape = f'<polygon points="{diamond}" fill="{fill}" {stroke}/>'
        outer = (
            f'<polygon points="{x},{y - half - 7} {x + half + 7},{y} {x},{y + half + 7} {x - half - 7},{y}" '
            'fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
    parts = [f'<g class="{" ".join(classes)}" data-person="{who.key}">', shape]
    if who.is_subject:
        parts.append(outer)
    if who.deceased:
        parts.append(
            f'<path d="M{x - half} {y - half} L{x + half} {y + half} M{x + half} {y - half} L{x - half} {y + half}" '
            'stroke="#0b0c0c" stroke-width="2"/>'
        )
    weight = ' font-weight="bold"' if who.is_subject else ""
    parts.append(
        f'<text x="{x}" y="{y + half + 22}" text-anchor="middle" font-size="14"{weight}>{escape(who.name)}</text>'
    )
    if who.birth_label:
        parts.append(
            f'<text x="{x}" y="{y + half + 40}" text-anchor="middle" font-size="12">{escape(who.birth_label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _line(points: list[tuple[float, float]], *, css: str, dash: str = "") -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:g} {y:g}" for i, (x, y) in enumerate(points))
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<path class="{css}" d="{d}" fill="none" stroke="#0b0c0c" stroke-width="2"{dashed}/>'


def _links_svg(placed: dict[int, _Placed], links: list[GenogramLink]) -> list[str]:
    half = SYMBOL / 2
    out: list[str] = []
    drawn_partners: set[frozenset[int]] = set()
    for link in links:
        if link.kind != RelationshipKind.PARTNER:
            continue
        pair = frozenset((link.person, link.relative))
        a, b = placed[link.person], placed[link.relative]
        if pair in drawn_partners:
            continue
        drawn_partners.add(pair)
        left, right = sorted((a, b), key=lambda p: p.x)
        if left.y == right.y:
            points = [(left.x + half, left.y), (right.x - half, right.y)]
        else:
            points = [(left.x, left.y + half), (right.x, right.y - half)]
        out.append(_line(points, css="genogram-partners", dash="8 5" if link.ended else ""))

    # Children hang from their parents: group each child's parents, draw one descent line per group.
    parents_of: dict[int, list[GenogramLink]] = {}
    for link in links:
        if link.kind == RelationshipKind.PARENT and placed[link.relative].y < placed[link.person].y:
            parents_of.setdefault(link.person, []).append(link)
    families: dict[frozenset[int], list[int]] = {}
    for child, parent_links in parents_of.items():
        families.setdefault(frozenset(p.relative for p in parent_links), []).append(child)
    for parent_keys, children in families.items():
        parents = sorted((placed[k] for k in parent_keys), key=lambda p: p.x)
        children_placed = sorted((placed[k] for k in children), key=lambda p: p.x)
        top = parents[0].y
        if len(parents) > 1 and all(p.y == top for p in parents):
            anchor = ((parents[0].x + parents[-1].x) / 2, top)
            if frozenset(parent_keys) not in drawn_partners and len(parents) == 2:
                out.append(_line([(parents[0].x + half, top), (parents[1].x - half, top)], css="genogram-parents"))
        else:
            anchor = (parents[0].x, parents[0].y + half)
        bar = children_placed[0].y - half - 25
        out.append(_line([anchor, (anchor[0], bar)], css="genogram-descent"))
        xs = [anchor[0], *(c.x for c in children_placed)]
        out.append(_line([(min(xs), bar), (max(xs), bar)], css="genogram-descent"))
        for below in children_placed:
            # e.g. a parent who no longer has parental responsibility
            ended = any(p.ended for p in parents_of[below.who.key] if p.relative in parent_keys)
            drop = [(below.x, bar), (below.x, below.y - half)]
            out.append(_line(drop, css="genogram-descent", dash="8 5" if ended else ""))

    # Carers who are not parents: a dotted line to the child on the page (their care of the child's brothers
    # and sisters is in the text alternative; drawing every pair would hide the diagram under lines).
    # A couple caring together gets one line from the middle of their partner line.
    subject = next((key for key, p in placed.items() if p.who.is_subject), None)
    care = [link for link in links if link.kind in CARE_KINDS and link.person == subject]
    paired: set[int] = set()
    for first in care:
        for second in care:
            couple = frozenset((first.relative, second.relative))
            if first.relative < second.relative and couple in drawn_partners:
                a, b = placed[first.relative], placed[second.relative]
                if a.y == b.y and not (first.relative in paired or second.relative in paired):
                    paired |= set(couple)
                    cared = placed[first.person]
                    dash = "8 5" if first.ended and second.ended else "2 4"
                    start = ((a.x + b.x) / 2, a.y)
                    out.append(_line([start, (cared.x, cared.y - half)], css="genogram-care", dash=dash))
    for link in care:
        if link.relative in paired:
            continue
        carer, cared = placed[link.relative], placed[link.person]
        dash = "8 5" if link.ended else "2 4"
        out.append(_line([(carer.x, carer.y + half), (cared.x, cared.y - half)], css="genogram-care", dash=dash))

    with_parents = set(parents_of)
    for link in links:  # siblings whose shared parents are not drawn: a bracket above them
        if link.kind not in SIBLING_KINDS or (link.person in with_parents and link.relative in with_parents):
            continue
        a, b = sorted((placed[link.person], placed[link.relative]), key=lambda p: p.x)
        top = min(a.y, b.y) - half - 15
        dash = "8 5" if link.ended else ("1 0" if link.kind == RelationshipKind.SIBLING else "12 3 2 3")
        out.append(
            _line([(a.x, a.y - half), (a.x, top), (b.x, top), (b.x, b.y - half)], css="genogram-siblings", dash=dash)
        )
    return out


def _legend(y: float) -> str:
    items = [
        ('<rect x="0" y="-10" width="20" height="20" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>', _("Male")),
        ('<circle cx="10" cy="0" r="10" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>', _("Female")),
        (
            '<polygon points="10,-10 20,0 10,10 0,0" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>',
            _("Sex not known"),
        ),
        ('<polygon points="10,-10 20,10 0,10" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>', _("Unborn")),
        (
            '<rect x="0" y="-10" width="20" height="20" fill="#cce2d8" stroke="#0b0c0c" stroke-width="2"/>',
            _("Lives in the child’s household"),
        ),
        ('<path d="M0 0 L20 0" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="8 5"/>', _("Ended")),
        ('<path d="M0 0 L20 0" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="2 4"/>', _("Carer, step-parent")),
        ('<path d="M0 0 L20 0" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="12 3 2 3"/>', _("Half-sibling")),
    ]
    parts = [f'<g class="genogram-legend" transform="translate({MARGIN} {y})">']
    for index, (icon, label) in enumerate(items):
        col, row = index % 4, index // 4
        parts.append(
            f'<g transform="translate({col * 230} {row * 35})">{icon}'
            f'<text x="30" y="5" font-size="13">{escape(label)}</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


def _describe(people: dict[int, GenogramPerson], links: list[GenogramLink], subject: GenogramPerson) -> list[str]:
    """The same relationships as sentences, for the text alternative."""
    kinds = dict(RelationshipKind.choices)
    lines = []
    for link in links:
        relative, person = people[link.relative], people[link.person]
        kind = kinds.get(link.kind, link.kind)
        text = _("%(relative)s is the %(kind)s of %(person)s") % {
            "relative": relative.name,
            "kind": str(kind).lower(),
            "person": person.name,
        }
        if link.ended:
            text = _("%(relationship)s (ended)") % {"relationship": text}
        lines.append(text)
    household = [p.name for p in people.values() if p.in_household and not p.is_subject]
    if household:
        lines.append(
            _("Living with %(subject)s: %(names)s") % {"subject": subject.name, "names": ", ".join(sorted(household))}
        )
    return lines


def genogram_svg(people_list: list[GenogramPerson], links: list[GenogramLink], *, dom_id: str = "genogram") -> Genogram:
    """Lay the people out in rows by generation and draw them, their links and a legend."""
    subject = next(p for p in people_list if p.is_subject)
    people = {p.key: p for p in people_list}
    rows: dict[int, list[GenogramPerson]] = {}
    for person in people_list:
        rows.setdefault(person.generation, []).append(person)
    widest = max(len(row) for row in rows.values())
    width = max(widest * COLUMN_WIDTH + 2 * MARGIN, 4 * 230 + 2 * MARGIN)
    generations = sorted(rows)
    placed: dict[int, _Placed] = {}
    for row_index, generation in enumerate(generations):
        row = _row_order(rows[generation], links)
        offset = (width - len(row) * COLUMN_WIDTH) / 2
        for column, person in enumerate(row):
            x = offset + column * COLUMN_WIDTH + COLUMN_WIDTH / 2
            y = MARGIN + 30 + row_index * ROW_HEIGHT + SYMBOL / 2
            placed[person.key] = _Placed(who=person, x=round(x, 1), y=round(y, 1))
    diagram_height = MARGIN + 30 + len(generations) * ROW_HEIGHT
    height = diagram_height + LEGEND_HEIGHT
    title = _("Genogram of %(name)s") % {"name": subject.name}
    relative_count = len(people_list) - 1
    description: str | Promise = _(
        "Family diagram of %(name)s and %(count)s relatives or household members. "
        "The same information is listed as text below the diagram."
    ) % {"name": subject.name, "count": relative_count}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="genogram" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" viewBox="0 0 {width:g} {height:g}" '
        f'font-family="Arial, sans-serif">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(str(description))}</desc>',
        *_links_svg(placed, links),
        *(_symbol(p) for p in placed.values()),
        _legend(diagram_height + 20),
        "</svg>",
    ]
    return Genogram(
        svg="".join(parts), title=title, description=str(description), text=_describe(people, links, subject)
    )
