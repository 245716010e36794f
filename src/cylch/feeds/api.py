"""Agency systems feed the record: `POST /api/v1/events`, `/involvements`, `/household-memberships`,
`/relationships` and `/statuses`.

Each takes one item, or `{"items": [...]}` with up to 1,000, and answers each item's outcome in the order sent:
stored, already stored (a re-send: nothing changed), review (stored; the person waits for a match review) or
rejected with field errors (nothing of that item stored; the rest go in). Only an agency's system account may
send, with a token holding `feeds:write`, and always as its own agency: an item names people by the agency's own
record IDs, and what it writes is recorded as that agency's account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.api_permissions import SystemAccountOnly, TokenHasScope
from cylch.accounts.authentication import PractitionerTokenAuthentication
from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import FEEDS_WRITE
from cylch.accounts.throttles import TokenRateThrottle
from cylch.core.parsers import BoundedJSONParser
from cylch.feeds.items import (
    EventItemSerializer,
    HouseholdMembershipItemSerializer,
    InvolvementItemSerializer,
    ItemSerializer,
    RelationshipItemSerializer,
    StatusItemSerializer,
)
from cylch.feeds.models import ItemOutcome, ItemType
from cylch.feeds.services.intake import MAX_BATCH, ItemResult, feed_items_receive, outcome_counts


class ItemResultOut(serializers.Serializer[ItemResult]):
    index = serializers.IntegerField(help_text="The item's position in the request, from 0")
    id = serializers.CharField(source="item_id", help_text="Your ID for the item, as sent")
    outcome = serializers.ChoiceField(choices=ItemOutcome.choices)
    cylch_id = serializers.CharField(help_text="The person's Cylch ID (blank when rejected)")
    # A field, not Serializer.errors: DRF's metaclass takes declared fields off the class.
    errors = serializers.DictField(help_text="Field -> messages, when rejected")  # type: ignore[assignment]


class FeedAnswerOut(serializers.Serializer[dict[str, Any]]):
    results = ItemResultOut(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="How many items had each outcome")


Post = TypeVar("Post", bound=Callable[..., Response])


def _batch_serializer(item: type[ItemSerializer]) -> type[serializers.Serializer[dict[str, Any]]]:
    name = item.__name__.replace("ItemSerializer", "BatchSerializer")
    fields = {"items": serializers.ListField(child=item(), max_length=MAX_BATCH, min_length=1)}
    return type(name, (serializers.Serializer,), fields)


def _schema(item_type: ItemType, item: type[ItemSerializer], summary: str) -> Callable[[Post], Post]:
    batch = _batch_serializer(item)
    decorate: Callable[[Post], Post] = extend_schema(
        operation_id=f"feed_{item_type}_receive",
        request=PolymorphicProxySerializer(
            component_name=f"{item.__name__.removesuffix('ItemSerializer')}ItemOrBatch",
            serializers=[item, batch],
            resource_type_field_name=None,
        ),
        responses={
            200: OpenApiResponse(FeedAnswerOut, description="Each item's outcome, in the order sent"),
            400: OpenApiResponse(description='Not one item nor {"items": [...]}, or more than 1,000 items'),
            401: OpenApiResponse(description="No token, or an unknown, expired or revoked one"),
            403: OpenApiResponse(description="Not a system account, the token lacks feeds:write, or no agency"),
            413: OpenApiResponse(description="The body is larger than the limit"),
            429: OpenApiResponse(description="Too many calls too fast: see Retry-After"),
        },
        summary=summary,
        tags=["feeds"],
    )
    return decorate


@method_decorator(login_not_required, name="dispatch")
class FeedApi(APIView):
    """One endpoint per kind of item; each takes one item or a batch and answers per item."""

    item_type: ClassVar[ItemType]
    authentication_classes = [PractitionerTokenAuthentication]
    permission_classes = [IsAuthenticated, TokenHasScope, SystemAccountOnly]
    throttle_classes = [TokenRateThrottle]
    parser_classes = [BoundedJSONParser]
    required_scopes = {"POST": FEEDS_WRITE}

    def post(self, request: Request) -> Response:
        user = practitioner_of(request)
        if user.agency is None:
            return Response({"detail": _("Only an agency's account can send its records.")}, status=403)
        data = request.data
        if not isinstance(data, dict):
            return Response({"detail": [_('Send one item as a JSON object, or {"items": [...]}.')]}, status=400)
        items = data.get("items", [data])
        if not isinstance(items, list) or not items:
            return Response({"items": [_("Send a list of at least one item.")]}, status=status.HTTP_400_BAD_REQUEST)
        if len(items) > MAX_BATCH:
            message = _("Send at most %(limit)s items in one call; nothing was stored.") % {"limit": f"{MAX_BATCH:,}"}
            return Response({"items": [message]}, status=status.HTTP_400_BAD_REQUEST)
        results = feed_items_receive(
            agency=user.agency, items=[(self.item_type, raw) for raw in items], sender=user, request=request
        )
        answer = {"results": [ItemResultOut(result).data for result in results], "counts": outcome_counts(results)}
        return Response(answer)


class EventFeedApi(FeedApi):
    item_type = ItemType.EVENT

    @_schema(ItemType.EVENT, EventItemSerializer, "Send chronology events (idempotent on each event's id)")
    def post(self, request: Request) -> Response:
        return super().post(request)


class InvolvementFeedApi(FeedApi):
    item_type = ItemType.INVOLVEMENT

    @_schema(
        ItemType.INVOLVEMENT,
        InvolvementItemSerializer,
        "Open or close your agency's involvements (caseloads), which grant your practitioners detail access",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class HouseholdMembershipFeedApi(FeedApi):
    item_type = ItemType.HOUSEHOLD_MEMBERSHIP

    @_schema(
        ItemType.HOUSEHOLD_MEMBERSHIP,
        HouseholdMembershipItemSerializer,
        "Send addresses and moves: another agency's differing account is kept and flagged, never overwritten",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class RelationshipFeedApi(FeedApi):
    item_type = ItemType.RELATIONSHIP

    @_schema(ItemType.RELATIONSHIP, RelationshipItemSerializer, "Send relationships between people you hold")
    def post(self, request: Request) -> Response:
        return super().post(request)


class StatusFeedApi(FeedApi):
    item_type = ItemType.STATUS

    @_schema(
        ItemType.STATUS,
        StatusItemSerializer,
        "Children's services: register (with category) and looked-after starts and ends, each with its event",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
