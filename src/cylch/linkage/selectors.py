"""Reading linkage: match candidates for the API (no side effects but the audit), and the review queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest

from cylch.access.reads import disclose, reading
from cylch.access.selectors import AgencyContact, agency_contacts
from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import can_review_matches
from cylch.audit.models import AuditAction
from cylch.core.paging import page_read
from cylch.linkage.matching import Candidate, match_candidates
from cylch.linkage.models import MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.linkage.scoring import Decision, link_decision, load_model
from cylch.linkage.services import PersonDetails
from cylch.people.models import HouseholdMembership, Person, PersonIdentifier, PersonName, SourceRecord

MATCH_RESULT_LIMIT = 10


@dataclass(frozen=True)
class MatchCandidateView:
    """A candidate the user may open: its score, evidence, and what person_link would do."""

    candidate: Candidate
    decision: Decision


@dataclass(frozen=True)
class RestrictedCandidate:
    """A candidate the user may not open: its Cylch ID and whom to contact, as the person API shows it."""

    person: Person
    contacts: list[AgencyContact]


def person_match(
    *, user: Practitioner, details: PersonDetails, request: HttpRequest | None = None
) -> list[MatchCandidateView | RestrictedCandidate]:
    """Who `details` might be, most probable first; nothing is linked or created.

    Candidates the user may not open are still listed (so a duplicate is not created), but only as
    the person API shows a restricted record, after those they may open: their score, evidence and
    rank would let anyone test a guessed birth date. Each listed person is logged as a search result.
    """
    model = load_model()
    candidates = [c for c in match_candidates(details=details, model=model) if c.probability >= 0.001]
    candidates = candidates[:MATCH_RESULT_LIMIT]
    with reading(user=user, page="api-person-match", request=request, action=AuditAction.SEARCH) as read:
        disclosure = read.decide([c.person for c in candidates])
    shown = [c for c in candidates if disclosure.allows(c.person)]
    restricted = sorted((c.person for c in candidates if not disclosure.allows(c.person)), key=lambda p: p.cylch_id)
    contacts = agency_contacts(person_ids=[p.pk for p in restricted])
    views: list[MatchCandidateView | RestrictedCandidate] = [
        MatchCandidateView(candidate=c, decision=link_decision(c.score, model)) for c in shown
    ]
    return views + [RestrictedCandidate(person=p, contacts=contacts.get(p.pk, [])) for p in restricted]


def match_review_queue(*, user: Practitioner) -> QuerySet[MatchReview]:
    """Pending reviews, most probable first (front-door managers)."""
    if not can_review_matches(user):
        return MatchReview.objects.none()
    return MatchReview.objects.filter(status=ReviewStatus.PENDING).select_related(
        "person", "candidate", "source_record", "source_record__agency"
    )


def merge_history(*, user: Practitioner, person: Person) -> QuerySet[MergeDecision]:
    if not can_review_matches(user):
        return MergeDecision.objects.none()
    return MergeDecision.objects.filter(survivor=person) | MergeDecision.objects.filter(merged=person)


# --- the match-review pages (front-door managers: `cylch.accounts.permissions.can_review_matches`) ---


@dataclass(frozen=True)
class ReviewSide:
    person: Person
    source_records: list[SourceRecord]
    other_names: list[PersonName]
    identifiers: list[PersonIdentifier]
    addresses: list[HouseholdMembership]


@dataclass(frozen=True)
class ReviewComparison:
    review: MatchReview
    incoming: ReviewSide
    candidate: ReviewSide


def _side(person: Person) -> ReviewSide:
    return ReviewSide(
        person=person,
        source_records=list(person.source_records.select_related("agency").order_by("received_at")),
        other_names=list(person.other_names.all()),
        identifiers=list(person.identifiers.select_related("agency")),
        addresses=list(person.household_memberships.select_related("household").order_by("-start_date")),
    )


REVIEW_PAGE_SIZE = 100


def match_review_list(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> Page[MatchReview]:
    """The queue a page at a time, most probable first: both people in each pair are named, so each is logged."""
    ordered = match_review_queue(user=user).order_by("-probability", "created_at", "pk")
    current = page_read(ordered, size=REVIEW_PAGE_SIZE, number=page_number)
    reviews = list(current.object_list)
    disclose(
        user=user,
        people=[p for r in reviews for p in (r.person, r.candidate)],
        page="match-review-queue",
        request=request,
    )
    return current


def match_review_compare(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> ReviewComparison | None:
    """Both records of one review in full, for the front door; both reads logged. None if not allowed."""
    if not can_review_matches(user):
        return None
    review = (
        MatchReview.objects.filter(pk=pk)
        .select_related("person", "candidate", "source_record", "source_record__agency", "decided_by")
        .first()
    )
    if review is None:
        return None
    disclose(user=user, people=[review.person, review.candidate], page="match-review", request=request)
    return ReviewComparison(review=review, incoming=_side(review.person), candidate=_side(review.candidate))


def merge_decision_get(*, user: Practitioner, pk: int) -> MergeDecision | None:
    """A merge that a front-door manager may undo (not already undone)."""
    if not can_review_matches(user):
        return None
    decision = (
        MergeDecision.objects.filter(pk=pk, kind=MergeKind.MERGE)
        .select_related("survivor", "merged", "decided_by")
        .first()
    )
    if decision is None or hasattr(decision, "undone_by"):
        return None
    return decision


def merge_history_list(
    *, user: Practitioner, request: HttpRequest | None = None, limit: int = 100
) -> list[MergeDecision]:
    """Recent merges and unmerges, newest first (front-door managers); everyone named is logged."""
    if not can_review_matches(user):
        return []
    decisions = list(
        MergeDecision.objects.select_related("survivor", "merged", "decided_by", "undone_by").order_by(
            "-decided_at", "-pk"
        )[:limit]
    )
    disclose(
        user=user, people=[p for d in decisions for p in (d.survivor, d.merged)], page="merge-history", request=request
    )
    return decisions
