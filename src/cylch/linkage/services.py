"""The one function that decides which Person an incoming description of someone refers to.

Every intake path (a concern's subjects, an agency's source record, a FHIR Patient) calls
`person_link`. Candidates are found by indexed blocking and scored with the Fellegi–Sunter
model in `cylch.linkage.scoring` (parameters: `model/<CYLCH_LINKAGE_MODEL>.json`):

* a shared valid NHS number links outright (it is the national identifier);
* at or above the link threshold the record joins the best candidate automatically;
* between the thresholds the record gets its own *provisional* person at once (so the front
  door can act on it) and a `MatchReview` pairs it with each candidate in the band; accepting
  the review merges the provisional person into the candidate, rejecting it keeps both
  (`cylch.linkage.merging`);
* below the review threshold the record gets a new person.

A likely twin (same birth date, different first name, no shared NHS number) is never joined;
a similar first name with the same birth date (unless one is a slip inside a name the model
knows) and two different birth dates always go to a person to decide.

Re-scoring everyone already on the index (`cylch link --all`) is `cylch.linkage.relink`.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations, takewhile

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.audit.services import audit_write_each, audit_write_record
from cylch.core.codes import new_code
from cylch.core.sql import quote, rows
from cylch.linkage.matching import (
    CANDIDATE_LIMIT,
    Candidate,
    candidate_ids_each,
    candidates_scored,
    details_record,
    each_record,
    key_parts,
    keys_to_look_up,
    keys_to_store,
    match_candidates,
    nhs_number_holder_ids,
    nhs_number_holders,
    person_records,
    scored_candidates,
)
from cylch.linkage.models import BlockingKey, MatchReview
from cylch.linkage.scoring import (
    CONTRADICTS_A_RECORD,
    NAMESAKES_AROUND,
    Decision,
    Model,
    Score,
    clean_nhs_number,
    compare_date_of_birth,
    contradicted,
    could_be_anyone_known,
    day_month_swap,
    link_decision,
    load_model,
    match_record,
    score,
)
from cylch.people.models import NameKind, Person, PersonIdentifier, PersonName, Sex, SourceRecord
from cylch.people.services import CYLCH_ID_LENGTH, person_create, source_record_create
from cylch.people.text import fold_name, phonetic_key

MAX_REVIEWS_PER_RECORD = 3


@dataclass(frozen=True)
class PersonDetails:
    """What one agency knows about someone, as it recorded it (any field may be blank)."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    sex: str = Sex.NOT_KNOWN
    nhs_number: str = ""
    postcode: str = ""
    address: str = ""
    is_unborn: bool = False
    expected_delivery_date: datetime.date | None = None
    identifiers: dict[str, str] = field(default_factory=dict)


class LinkOutcome(StrEnum):
    LINKED = "linked"
    NEW_PERSON = "new_person"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class LinkResult:
    person: Person
    outcome: LinkOutcome
    source_record: SourceRecord
    probability: float | None = None
    reviews: tuple[MatchReview, ...] = ()


def _identifier_match(details: PersonDetails) -> Person | None:
    for kind, value in details.identifiers.items():
        identifier = (
            PersonIdentifier.objects.filter(kind=kind, value=value, person__merged_into__isnull=True)
            .select_related("person")
            .first()
        )
        if identifier is not None:
            return identifier.person
    return None


def _new_person(details: PersonDetails) -> Person:
    return person_create(
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=None if details.is_unborn else details.date_of_birth,
        sex=details.sex,
        nhs_number=clean_nhs_number(details.nhs_number),
        is_unborn=details.is_unborn,
        expected_delivery_date=details.expected_delivery_date if details.is_unborn else None,
    )


def _other_names(person: Person) -> list[tuple[str, str]]:
    """The person's other names, in plain SQL: read for every linked subject of every concern."""
    sql = f"SELECT given_name, family_name FROM {quote(PersonName._meta.db_table)} WHERE person_id = %s"  # noqa: S608
    return [(given, family) for given, family in rows(sql, [person.pk])]


def _enrich(person: Person, details: PersonDetails) -> None:
    """Fill what the person lacks from a linked record; an unborn child whose birth is reported is born."""
    changed: list[str] = []
    if person.is_unborn and details.date_of_birth and not details.is_unborn:
        person.is_unborn, person.date_of_birth = False, details.date_of_birth
        changed += ["is_unborn", "date_of_birth"]
    if not person.given_name and details.given_name:
        person.given_name = details.given_name
        changed += ["given_name", "given_name_key"]
    if not person.family_name and details.family_name:
        person.family_name = details.family_name
        changed += ["family_name", "family_name_key"]
    if person.sex == Sex.NOT_KNOWN and details.sex in {Sex.FEMALE, Sex.MALE}:
        person.sex = details.sex
        changed.append("sex")
    nhs = clean_nhs_number(details.nhs_number)
    if not person.nhs_number and nhs:
        person.nhs_number = nhs
        changed.append("nhs_number")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    known = {(fold_name(person.given_name), fold_name(person.family_name))}
    known |= {(fold_name(g), fold_name(f)) for g, f in _other_names(person)}
    name = (fold_name(details.given_name), fold_name(details.family_name))
    if all(name) and name not in known:
        # Another agency's spelling or a changed surname: searchable from now on.
        PersonName.objects.create(
            person=person, kind=NameKind.ALIAS, given_name=details.given_name, family_name=details.family_name
        )


def match_review_create(
    *, person: Person, candidate: Person, match: Score, model: Model, guard: str = ""
) -> MatchReview:
    """Queue a possible match for a person to decide, with the evidence the model weighed and the rule (`guard`)
    that sent it here rather than linking it, if one did."""
    return MatchReview.objects.create(
        person=person,
        candidate=candidate,
        guard=guard,
        probability=match.probability,
        match_weight=match.match_weight,
        evidence=[{"field": e.field, "level": e.level, "weight": e.weight} for e in match.evidence],
        model_version=model.version,
    )


def blocking_keys_create(*, record: SourceRecord, details: PersonDetails) -> None:
    keys = keys_to_store(key_parts(details))
    BlockingKey.objects.bulk_create(BlockingKey(key=k, person_id=record.person_id, source_record=record) for k in keys)


SAME_NAME_LEVELS = {"given_name": {"exact", "alternative_form", "misspelt"}, "family_name": {"exact", "part"}}


def _namesakes_around(details: PersonDetails, people_around: Collection[int], model: Model) -> list[Candidate]:
    """Those around the child with the same name, when the description has no birth date to go on.

    A mother or a partner named in a concern is seldom given with a birth date, and on a name and an address
    alone most adults score below review: named twice, they would become two new people. Beside the same child,
    the same name is the same person; two namesakes there are for a person to tell apart.
    """
    if not people_around or details.date_of_birth or details.is_unborn:
        return []
    return [
        c
        for c in scored_candidates(details, people_around, model)
        if all(c.score.level(f) in levels for f, levels in SAME_NAME_LEVELS.items())
        and not {c.score.level("sex"), c.score.level("nhs_number")} & {"different"}
    ]


def _generations_apart(details: PersonDetails, linkable: list[Candidate]) -> list[Candidate]:
    """The linkable people of the description's very name when two of them were born generations apart and the
    description has neither a birth date nor an NHS number to tell them apart (a school's contact for a father
    at the home of his son of the same name): a person decides, as a batch holds back (`cylch.linkage.clustering`).
    """
    if details.date_of_birth or details.is_unborn or clean_nhs_number(details.nhs_number):
        return []
    same = [
        c
        for c in linkable
        if c.score.level("given_name") == c.score.level("family_name") == "exact" and c.person.date_of_birth
    ]
    born = [match_record(dates_of_birth=[c.person.date_of_birth]) for c in same]
    apart = any(compare_date_of_birth(x, y) == "else" for x, y in combinations(born, 2))
    return same if apart else []


def _link_candidates(details: PersonDetails, model: Model) -> list[Candidate]:
    """Whom linking must score: the holders of the description's NHS number when anyone holds it (it links
    outright); nobody when the description could reach review against no one (say, an adult's common name
    alone: a new person either way); otherwise the blocking candidates."""
    holders = [c for c in nhs_number_holders(details=details, model=model) if c.score.level("nhs_number") == "exact"]
    if holders:
        return holders
    if not could_be_anyone_known(details_record(details), model):
        return []
    return match_candidates(details=details, model=model)


@transaction.atomic(savepoint=False)
def person_link(
    *,
    details: PersonDetails,
    agency: Agency,
    local_id: str,
    practitioner: Practitioner | None = None,
    request: HttpRequest | None = None,
    people_around: Collection[int] = (),
) -> LinkResult:
    """Resolve `details` to a person (creating one if nobody matches) and keep the agency's copy.

    `people_around` are the people the description was given beside (a concern's children, their households,
    those named with them before): someone named without a birth date is looked for among them first.

    The link is written to the audit chain with `practitioner`, whose concern or system sent the description
    (None only for the system's own loads and re-links), and the API call's `request` (its token) if any.

    Inside a caller's transaction it is part of it, with no savepoint of its own: a caller that recovers
    from a failure here (e.g. `source_record_receive`) opens the savepoint it rolls back to."""
    model = load_model()
    reviews: list[MatchReview] = []
    probability: float | None = None
    person = _identifier_match(details)
    outcome = LinkOutcome.LINKED
    namesakes = _namesakes_around(details, people_around, model) if person is None else []
    if len(namesakes) == 1:
        person, probability = namesakes[0].person, namesakes[0].probability
    elif namesakes:
        person, outcome = _new_person(details), LinkOutcome.NEEDS_REVIEW
        reviews = [
            match_review_create(person=person, candidate=c.person, match=c.score, model=model, guard=NAMESAKES_AROUND)
            for c in namesakes[:MAX_REVIEWS_PER_RECORD]
        ]
    if person is None:
        candidates = _link_candidates(details, model)
        linkable = [c for c in candidates if link_decision(c.score, model) == Decision.LINK]
        # An agreeing NHS number first (the national identifier), then the strongest evidence; a candidate with
        # any record of their own that contradicts this one is not linked however strong the rest (no chaining).
        linkable.sort(key=lambda c: c.score.level("nhs_number") != "exact")
        incoming = details_record(details)
        generations = _generations_apart(details, linkable)
        conflicting = (
            []
            if generations
            else list(takewhile(lambda c: contradicted(incoming, each_record(c.person.pk), model), linkable))
        )
        chosen = [] if generations else linkable[len(conflicting) : len(conflicting) + 1]
        probability = (chosen or candidates)[0].probability if candidates else None
        if chosen:
            person = chosen[0].person
        else:
            person = _new_person(details)
            queued = (
                [(c, NAMESAKES_AROUND) for c in generations]
                + [(c, CONTRADICTS_A_RECORD) for c in conflicting]
                + [(c, c.score.guard) for c in candidates if link_decision(c.score, model) == Decision.REVIEW]
            )
            outcome = LinkOutcome.NEEDS_REVIEW if queued else LinkOutcome.NEW_PERSON
            reviews = [
                match_review_create(person=person, candidate=c.person, match=c.score, model=model, guard=guard)
                for c, guard in queued[:MAX_REVIEWS_PER_RECORD]
            ]
    if outcome == LinkOutcome.LINKED:
        _enrich(person, details)
    record = source_record_create(
        agency=agency,
        local_id=local_id,
        person=person,
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        nhs_number=details.nhs_number,
        postcode=details.postcode,
        address=details.address,
        identifiers=details.identifiers,
    )
    for review in reviews:
        review.source_record = record
        review.save(update_fields=["source_record"])
    blocking_keys_create(record=record, details=details)
    audit_write_record(
        practitioner=practitioner,
        person=person,
        action=AuditAction.LINK if outcome == LinkOutcome.LINKED else AuditAction.CREATE,
        page="person-link",
        details={
            "outcome": str(outcome),
            "agency": agency.pk,
            "local_id": local_id,
            "probability": None if probability is None else round(probability, 6),
            "model": model.version,
        },
        request=request,
    )
    return LinkResult(
        person=person, outcome=outcome, source_record=record, probability=probability, reviews=tuple(reviews)
    )


@dataclass(frozen=True)
class SourceRecordReceipt:
    """What an agency system is told about a record it sent: whose record it is now, and how it was linked."""

    source_record: SourceRecord
    outcome: LinkOutcome
    created: bool


def _outcome_when_linked(record: SourceRecord) -> LinkOutcome:
    """How `person_link` resolved `record`, from its audit entry (written with the record, so not before it)."""
    entry = (
        AccessLogEntry.objects.filter(
            at__gte=record.received_at,
            page="person-link",
            details__agency=record.agency_id,
            details__local_id=record.local_id,
        )
        .order_by("at")
        .values_list("details__outcome", flat=True)
        .first()
    )
    # A record loaded in bulk (the synthetic region) was filed under its person without a decision.
    return LinkOutcome(entry) if entry else LinkOutcome.LINKED


def source_record_receive(
    *,
    agency: Agency,
    local_id: str,
    details: PersonDetails,
    practitioner: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> SourceRecordReceipt:
    """Keep a record an agency's system sends and link it as a concern's subject would be; a re-send changes nothing.
    The link is on the audit chain with the account that sent it."""
    existing = SourceRecord.objects.filter(agency=agency, local_id=local_id).select_related("person").first()
    if existing is None:
        try:
            with transaction.atomic():
                result = person_link(
                    details=details, agency=agency, local_id=local_id, practitioner=practitioner, request=request
                )
        except IntegrityError:  # the same record, sent twice at once: the first one stands
            existing = SourceRecord.objects.select_related("person").get(agency=agency, local_id=local_id)
        else:
            return SourceRecordReceipt(source_record=result.source_record, outcome=result.outcome, created=True)
    return SourceRecordReceipt(source_record=existing, outcome=_outcome_when_linked(existing), created=False)


def _person_table_tokens(details: PersonDetails) -> set[object]:
    """What the Person table's own indexes could find this description's person by, or find for it, beside the
    blocking keys (NHS number, birth date with either name's sound, both names' sounds, cleaned or as typed)."""
    parts = key_parts(details)
    tokens: set[object] = {("id", kind, value) for kind, value in details.identifiers.items()}
    if parts.nhs:
        tokens.add(("nhs", parts.nhs))
    raw = (phonetic_key(details.given_name), phonetic_key(details.family_name))
    for given, family in {(parts.given_key, parts.family_key), raw}:
        tokens.add(("gf", given, family))
        for day in filter(None, (parts.date_of_birth, parts.date_of_birth and day_month_swap(parts.date_of_birth))):
            tokens |= {("df", day, family), ("dg", day, given)}
    return tokens


@dataclass
class _Batch:
    """What `source_records_receive` has decided so far, in the order sent: whom it links itself and whom it
    leaves to `source_record_receive` (processed after it, in order)."""

    planned: list[tuple[int, set[str], set[object]]] = field(default_factory=list)  # position, keys filed, tokens
    aside_tokens: set[object] = field(default_factory=set)
    aside_candidates: set[int] = field(default_factory=set)
    all_aside: bool = False

    def set_aside(self, keys: set[str], tokens: set[object], candidates: list[int], reaches_beyond: bool) -> None:
        """Everything later that this one's link could touch goes aside too: a description it could find or be
        found by, one sharing a candidate (its link may enrich that person), and everything once it could reach
        past its candidates (identifiers) or join someone it was not scored against (`candidates` then names the
        holders of its NHS number too)."""
        self.aside_tokens |= keys | tokens
        self.aside_candidates |= set(candidates)
        self.all_aside = self.all_aside or reaches_beyond


# A description the batch links: its local id, details, new person, reviews to queue and best probability.
_Planned = tuple[str, PersonDetails, Person, list[tuple[Candidate, str]], float | None]


def source_records_receive(
    *,
    agency: Agency,
    described: list[tuple[str, PersonDetails]],
    practitioner: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> dict[str, SourceRecordReceipt]:
    """`source_record_receive` for a batch of new records (a bulk file's chunk), decided by the same rules in a
    handful of statements: their candidates read together, and each one that joins nobody given its new person,
    its match reviews, its record, blocking keys and audit entry in one INSERT per table.

    Returns the receipts of those it linked. Each is decided in the order sent, with the earlier ones of the batch
    among its candidates as if already filed; any it cannot decide exactly so is left, with everything later its
    link could touch (`_Batch.set_aside`), for `source_record_receive`, one by one in the order sent, after this:
    records sent before, descriptions with identifiers, an unborn child or an NHS number someone already holds
    (`person_link` would score only its holders), any that would join someone, be queued against or ranked after
    an earlier one of the batch, or meet one through the Person table's keys, or have more candidates than are
    read. So each record is linked exactly as one by one, in order."""
    firsts: dict[str, PersonDetails] = {}
    for local_id, details in described:
        firsts.setdefault(local_id, details)
    sent_before = set(
        SourceRecord.objects.filter(agency=agency, local_id__in=list(firsts)).values_list("local_id", flat=True)
    )
    fresh = [(local_id, details) for local_id, details in firsts.items() if local_id not in sent_before]
    if not fresh:
        return {}
    model = load_model()
    candidate_lists = candidate_ids_each([details for _local_id, details in fresh])
    holders = nhs_number_holder_ids({nhs for _l, details in fresh if (nhs := clean_nhs_number(details.nhs_number))})
    known = person_records({pk for lists in candidate_lists for pk in lists.ids})
    batch = _Batch()
    planned: list[_Planned] = []
    for n, (local_id, details) in enumerate(fresh):
        parts = key_parts(details)
        looked_up, filed, tokens = set(keys_to_look_up(parts)), set(keys_to_store(parts)), _person_table_tokens(details)
        lists = candidate_lists[n]
        ids = lists.ids
        held = sorted(holders.get(parts.nhs, ())) if parts.nhs else []
        # Earlier descriptions of this batch it would meet through the blocking index, as if already filed, and
        # whether they would change whom it scores: once the index's first 20 are read, a newcomer (the highest
        # id) ranks among them only by sharing more keys than the last; below 20, they and the Person table's
        # finds must all still fit.
        shares = {m: len(m_filed & looked_up) for m, m_filed, _t in batch.planned if m_filed & looked_up}
        if len(lists.blocking) >= CANDIDATE_LIMIT:
            fits = all(shared <= lists.blocking[-1][1] for shared in shares.values())
            earlier: list[int] = []
        else:
            fits = len(lists.blocking) + len(shares) + len(lists.direct) <= CANDIDATE_LIMIT
            earlier = list(shares)
        person = None
        if not (
            batch.all_aside
            or (looked_up | filed | tokens) & batch.aside_tokens
            or batch.aside_candidates.intersection(ids)
            or any(tokens & m_tokens for _m, _f, m_tokens in batch.planned)
            or held
            or details.identifiers
            or details.is_unborn
            or not fits
        ):
            scorable = could_be_anyone_known(details_record(details), model)
            found = [known[pk] for pk in ids if pk in known] if scorable else []
            candidates = candidates_scored(details, found, model)
            incoming = details_record(details)
            # A new person made from one description pools exactly that description (born; its NHS number cleaned
            # on the person, as typed on the record: `match_record` cleans both alike).
            met = [score(incoming, details_record(fresh[m][1]), model) for m in earlier] if scorable else []
            best = candidates[0] if candidates else None
            # It joins nobody (joining enriches that person: `person_link`'s own path), and nobody earlier in the
            # batch would be queued for it or come first among its candidates (whose probability is recorded).
            if not any(link_decision(c.score, model) == Decision.LINK for c in candidates) and not any(
                link_decision(m, model) != Decision.NEW
                or best is None
                or (Candidate(best.person, m).probability, m.match_weight)
                >= (best.probability, best.score.match_weight)
                for m in met
            ):
                person = _person_built(details)
        if person is None:  # left to `source_record_receive`, after this batch
            batch.set_aside(looked_up | filed, tokens, [*ids, *held], bool(details.identifiers))
            continue
        queued = [(c, c.score.guard) for c in candidates if link_decision(c.score, model) == Decision.REVIEW]
        planned.append((local_id, details, person, queued, best.probability if best else None))
        batch.planned.append((n, filed, tokens))
    if not planned:
        return {}
    try:
        with transaction.atomic():
            receipts = _planned_write(agency, planned, model, practitioner, request)
    except IntegrityError:  # a Cylch ID or a record taken meanwhile: all of it goes the one-by-one way
        return {}
    return receipts


def _person_built(details: PersonDetails) -> Person | None:
    """The new person `person_create` would make for a born child's description (`_new_person`), not yet saved
    (so with its name keys set here, as `Person.save` would), or None if it would be refused."""
    person = Person(
        cylch_id=new_code(CYLCH_ID_LENGTH),
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        nhs_number=clean_nhs_number(details.nhs_number),
        given_name_key=phonetic_key(details.given_name),
        family_name_key=phonetic_key(details.family_name),
    )
    try:
        person.full_clean(exclude=["cylch_id"], validate_constraints=False)
    except ValidationError:
        return None
    return person


def _planned_write(
    agency: Agency,
    planned: list[_Planned],
    model: Model,
    practitioner: Practitioner | None,
    request: HttpRequest | None,
) -> dict[str, SourceRecordReceipt]:
    """The batch's people, records, reviews, blocking keys and audit entries: one INSERT each."""
    people = Person.objects.bulk_create([person for _l, _d, person, _q, _p in planned])
    records = SourceRecord.objects.bulk_create(
        SourceRecord(
            agency=agency,
            local_id=local_id,
            person=person,
            given_name=details.given_name,
            family_name=details.family_name,
            date_of_birth=details.date_of_birth,
            sex=details.sex,
            nhs_number=details.nhs_number,
            postcode=details.postcode,
            address=details.address,
            identifiers=details.identifiers,
        )
        for (local_id, details, _p, _q, _pr), person in zip(planned, people, strict=True)
    )
    MatchReview.objects.bulk_create(
        MatchReview(
            person=person,
            candidate=c.person,
            source_record=record,
            guard=guard,
            probability=c.score.probability,
            match_weight=c.score.match_weight,
            evidence=[{"field": e.field, "level": e.level, "weight": e.weight} for e in c.score.evidence],
            model_version=model.version,
        )
        for (_l, _d, _p, queued, _pr), person, record in zip(planned, people, records, strict=True)
        for c, guard in queued[:MAX_REVIEWS_PER_RECORD]
    )
    BlockingKey.objects.bulk_create(
        BlockingKey(key=k, person_id=record.person_id, source_record=record)
        for (_l, details, _p, _q, _pr), record in zip(planned, records, strict=True)
        for k in keys_to_store(key_parts(details))
    )
    outcomes = [LinkOutcome.NEEDS_REVIEW if queued else LinkOutcome.NEW_PERSON for _l, _d, _p, queued, _pr in planned]
    audit_write_each(
        practitioner=practitioner,
        changes=[
            (
                person,
                {
                    "outcome": str(outcome),
                    "agency": agency.pk,
                    "local_id": local_id,
                    "probability": None if probability is None else round(probability, 6),
                    "model": model.version,
                },
            )
            for (local_id, _d, person, _q, probability), outcome in zip(planned, outcomes, strict=True)
        ],
        action=AuditAction.CREATE,
        page="person-link",
        request=request,
    )
    return {
        record.local_id: SourceRecordReceipt(source_record=record, outcome=outcome, created=True)
        for record, outcome in zip(records, outcomes, strict=True)
    }
