"""The read API, version 1. Thin views: each list starts from a selector scoped to the
reader, and anything out of their reach answers 404 like a missing thing."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, is_dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from agreements.presentation import TargetPresentation
from api import filters, selectors, serializers
from api.authentication import ApiTokenAuthentication, ReadOnlySessionAuthentication
from api.models import ApiToken
from api.pagination import ApiCursorPagination
from api.renderers import AgreedTargetsCSVRenderer
from api.services import request_record
from api.throttles import RequestLogThrottle
from negotiations.compare import compare

PROBLEM = OpenApiResponse(serializers.ProblemSerializer, description="Problem details")
# Errors are problem details (api/problems.py), whatever the endpoint's own media type.
ERRORS = {
    (status_code, "application/problem+json"): PROBLEM for status_code in (400, 401, 404, 405, 429)
}
READ_METHODS = ("GET", "HEAD")


class ReadApiView(generics.GenericAPIView):
    # What every endpoint shares: token (or session) authentication, read-only methods,
    # throttling, problem details and a log row per request. (A comment, not a docstring:
    # each endpoint's own docstring is its description in the schema.)

    authentication_classes = [ApiTokenAuthentication, ReadOnlySessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [RequestLogThrottle]
    pagination_class = ApiCursorPagination
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head"]

    def initial(self, request, *args, **kwargs):
        # Refused before anything else is read: the API never writes.
        if request.method not in READ_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What authentication found, without authenticating now: a request refused before
        # authentication (a POST) must not raise here.
        auth = getattr(request, "_auth", None)
        token = auth if isinstance(auth, ApiToken) else None
        user = getattr(request._request, "user", None)
        request_record(
            token=token,
            user=user if user is not None and user.is_authenticated else None,
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            status=response.status_code,
        )
        return response


def _not_modified(request, *, etag: str, last_modified) -> bool:
    """Whether the reader's copy is current (If-None-Match, else If-Modified-Since)."""
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match:
        offered = {value.strip() for value in match.split(",")}
        return etag in offered or "*" in offered or f"W/{etag}" in offered
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since and last_modified is not None:
        when = parse_http_date_safe(since)
        return when is not None and int(last_modified.timestamp()) <= when
    return False


def conditional(request, response_for, *, etag_source: str, last_modified) -> Response:
    etag = quote_etag(hashlib.sha256(etag_source.encode()).hexdigest()[:32])
    if _not_modified(request, etag=etag, last_modified=last_modified):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = response_for()
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


# --- Rounds, indicators, areas -------------------------------------------------------------


@extend_schema(tags=["reference"], responses={200: serializers.RoundSerializer, **ERRORS})
class RoundList(ReadApiView, generics.ListAPIView):
    """The rounds of agreements, the latest first."""

    serializer_class = serializers.RoundSerializer
    cursor_ordering = "-first_year"

    def get_queryset(self):
        return selectors.rounds()


@extend_schema(tags=["reference"], responses={200: serializers.RoundSerializer, **ERRORS})
class RoundDetail(ReadApiView, generics.RetrieveAPIView):
    """One round: its years, cap of designated targets and statutory note."""

    serializer_class = serializers.RoundSerializer

    def get_object(self):
        return selectors.round_for(self.kwargs["slug"])


@extend_schema(tags=["reference"], responses={200: serializers.IndicatorSerializer, **ERRORS})
class IndicatorList(ReadApiView, generics.ListAPIView):
    """The national indicators with theme, lead department, units and polarity."""

    serializer_class = serializers.IndicatorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.IndicatorFilter
    cursor_ordering = "number"

    def get_queryset(self):
        return selectors.indicators()


@extend_schema(tags=["reference"], responses={200: serializers.IndicatorSerializer, **ERRORS})
class IndicatorDetail(ReadApiView, generics.RetrieveAPIView):
    """One national indicator, by its slug ('ni-120')."""

    serializer_class = serializers.IndicatorSerializer

    def get_object(self):
        return selectors.indicator_for(self.kwargs["slug"])


@extend_schema(tags=["areas"], responses={200: serializers.AreaSerializer, **ERRORS})
class AreaList(ReadApiView, generics.ListAPIView):
    """The areas the reader works in (every area for departments and the national
    team), with Government Office, tier and ONS code."""

    serializer_class = serializers.AreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.AreaFilter
    cursor_ordering = "pk"

    def get_queryset(self):
        return selectors.areas(self.request.user)


@extend_schema(tags=["areas"], responses={200: serializers.AreaSerializer, **ERRORS})
class AreaDetail(ReadApiView, generics.RetrieveAPIView):
    """One area the reader works in."""

    serializer_class = serializers.AreaSerializer

    def get_object(self):
        return selectors.area_for(self.request.user, self.kwargs["slug"])


# --- Agreements and versions ---------------------------------------------------------------


@extend_schema(tags=["agreements"], responses={200: serializers.AgreementSerializer, **ERRORS})
class AgreementList(ReadApiView, generics.ListAPIView):
    """The agreements the reader may see, with stage, whose turn it is, the latest and
    signed versions."""

    serializer_class = serializers.AgreementSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.AgreementFilter
    cursor_ordering = "pk"

    def get_queryset(self):
        return selectors.agreements(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "turns": selectors.turns_of(page)}
        data = self.serializer_class(page, many=True, context=context).data
        return self.get_paginated_response(data)


def _agreement_etag(agreement) -> str:
    return "|".join(
        str(part)
        for part in (
            agreement.pk,
            agreement.version,
            agreement.stage,
            agreement.changed_at.isoformat(),
            agreement.latest_version_number,
            agreement.signed_version_number,
        )
    )


@extend_schema(
    tags=["agreements"], responses={200: serializers.AgreementSerializer, 304: None, **ERRORS}
)
class AgreementDetail(ReadApiView, generics.RetrieveAPIView):
    """One agreement: its stage, whose turn it is, its latest and signed versions. Sends
    an ETag and Last-Modified; a reader's current copy answers 304."""

    serializer_class = serializers.AgreementSerializer

    def get(self, request, *args, **kwargs):
        agreement = selectors.agreement_for(
            request.user, round_slug=kwargs["round"], area_slug=kwargs["area"]
        )

        turns = selectors.turns_of([agreement])

        def body():
            context = {**self.get_serializer_context(), "turns": turns}
            return Response(self.serializer_class(agreement, context=context).data)

        # Whose turn may move without the agreement's row changing (a referral answered,
        # a signature made), so it is part of what the ETag covers.
        turn = turns[agreement.pk]
        return conditional(
            request,
            body,
            etag_source=_agreement_etag(agreement) + "|" + turn,
            last_modified=agreement.changed_at,
        )


def _agreement(request, kwargs):
    return selectors.agreement_for(
        request.user, round_slug=kwargs["round"], area_slug=kwargs["area"]
    )


def _version_url(request, agreement, number: int, name: str = "version-detail") -> str:
    return reverse(
        f"api:{name}",
        kwargs={"round": agreement.round.slug, "area": agreement.area.slug, "number": number},
        request=request,
    )


@extend_schema(tags=["agreements"], responses={200: serializers.VersionSummarySerializer, **ERRORS})
class VersionList(ReadApiView, generics.ListAPIView):
    """An agreement's frozen versions, oldest first, and which were signed."""

    serializer_class = serializers.VersionSummarySerializer
    cursor_ordering = "number"

    def get_queryset(self):
        self.agreement = _agreement(self.request, self.kwargs)
        return selectors.versions_of(self.agreement)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        signed = selectors.signed_version_ids(self.agreement)
        data = serializers.VersionSummarySerializer(
            [
                {
                    "number": version.number,
                    "created_at": version.created_at,
                    "is_signed": version.pk in signed,
                    "url": _version_url(request, self.agreement, version.number),
                }
                for version in page
            ],
            many=True,
        ).data
        return self.get_paginated_response(data)


def _targets(agreement, content) -> list[TargetPresentation]:
    years = list(content.get("years") or agreement.round.years)
    return [TargetPresentation.from_snapshot(item, years) for item in content.get("targets") or []]


@extend_schema(
    tags=["agreements"], responses={200: serializers.VersionSerializer, 304: None, **ERRORS}
)
class VersionDetail(ReadApiView, generics.RetrieveAPIView):
    """A version's frozen content, its targets presented as the pages present them. A
    version never changes: its ETag is its identity."""

    serializer_class = serializers.VersionSerializer

    def get(self, request, *args, **kwargs):
        agreement = _agreement(request, kwargs)
        version = selectors.version_for(agreement, kwargs["number"])
        signed = version.pk in selectors.signed_version_ids(agreement)

        def body():
            content = version.content
            data = {
                "number": version.number,
                "created_at": version.created_at,
                "is_signed": signed,
                "round": agreement.round.slug,
                "area": agreement.area.slug,
                "years": list(content.get("years") or agreement.round.years),
                "statutory_note": content.get("statutory_note") or "",
                "story_of_place": content.get("story_of_place") or "",
                "governance": content.get("governance") or "",
                "themes": content.get("themes") or [],
                "targets": _targets(agreement, content),
                "funding": content.get("funding") or [],
                "requests": content.get("requests") or [],
                "differences_url": _version_url(
                    request, agreement, version.number, "version-differences"
                ),
            }
            return Response(serializers.VersionSerializer(data).data)

        return conditional(
            request,
            body,
            etag_source=f"version|{version.pk}|{signed}",
            last_modified=version.created_at,
        )


@extend_schema(
    tags=["agreements"], responses={200: serializers.TargetSerializer(many=True), **ERRORS}
)
class VersionTargets(ReadApiView, generics.GenericAPIView):
    """The targets of one version (a version has at most a few dozen: not paginated)."""

    serializer_class = serializers.TargetSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=["designated", "statutory", "local"])]
    )
    def get(self, request, *args, **kwargs):
        agreement = _agreement(request, kwargs)
        version = selectors.version_for(agreement, kwargs["number"])
        targets = _targets(agreement, version.content)
        kind = request.query_params.get("kind")
        if kind:
            targets = [target for target in targets if target.kind == kind]
        return Response(serializers.TargetSerializer(targets, many=True).data)


def _plain(value):
    """A comparison (dataclasses, tuples, Decimals) as JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@extend_schema(
    tags=["agreements"],
    parameters=[
        OpenApiParameter(
            "from", int, description="The version to compare with (default: the one before)."
        )
    ],
    responses={200: OpenApiTypes.OBJECT, **ERRORS},
)
class VersionDifferences(ReadApiView, generics.GenericAPIView):
    """What changed between two versions, as the compare page works it out: targets and
    funding added, removed and changed (each year's value old and new, as typed, with the
    difference), the story of place and governance as word-level edits."""

    pagination_class = None

    def get(self, request, *args, **kwargs):
        agreement = _agreement(request, kwargs)
        new = selectors.version_for(agreement, kwargs["number"])
        raw = request.query_params.get("from", "")
        if raw:
            if not raw.isdigit():
                raise exceptions.ValidationError({"from": ["Give a version number."]})
            old = selectors.version_for(agreement, int(raw))
        else:
            old = selectors.version_for(agreement, new.number - 1) if new.number > 1 else new
        comparison = compare(old.content, new.content)
        return Response(
            {
                "from": old.number,
                "to": new.number,
                "has_changes": comparison.has_changes,
                "comparison": _plain(comparison),
            }
        )


# --- Freedoms and flexibilities -------------------------------------------------------------


@extend_schema(tags=["freedoms"], responses={200: serializers.FreedomRequestSerializer, **ERRORS})
class RequestList(ReadApiView, generics.ListAPIView):
    """Freedoms and flexibilities requests the reader may see. An answer shows once the
    reader may hear it: the locality and its partners once the GO has relayed it."""

    serializer_class = serializers.FreedomRequestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.RequestFilter
    cursor_ordering = "pk"

    def get_queryset(self):
        return selectors.requests(self.request.user)


@extend_schema(tags=["freedoms"], responses={200: serializers.FreedomRequestSerializer, **ERRORS})
class RequestDetail(ReadApiView, generics.RetrieveAPIView):
    """One freedoms and flexibilities request, with its answer if the reader may hear it."""

    serializer_class = serializers.FreedomRequestSerializer

    def get_object(self):
        return selectors.request_for(
            self.request.user,
            round_slug=self.kwargs["round"],
            area_slug=self.kwargs["area"],
            number=self.kwargs["number"],
        )


@extend_schema(
    tags=["freedoms"],
    parameters=[OpenApiParameter("q", str, description="Words every answer must mention.")],
    responses={200: serializers.FreedomRequestSerializer, **ERRORS},
)
class RegisterList(ReadApiView, generics.ListAPIView):
    """The register of decisions: answered requests of every area, newest decision first."""

    serializer_class = serializers.FreedomRequestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.RegisterFilter
    cursor_ordering = ("-decided_at", "-pk")

    def get_queryset(self):
        return selectors.register(q=self.request.query_params.get("q", "")[:200])


@extend_schema(tags=["freedoms"], responses={200: serializers.BriefSerializer(many=True), **ERRORS})
class BriefList(ReadApiView, generics.GenericAPIView):
    """The round's negotiating brief: confidential to GOs, departments and the national
    team. Anyone else gets 404."""

    serializer_class = serializers.BriefSerializer
    pagination_class = None

    def get(self, request, *args, **kwargs):
        round_ = selectors.round_for(kwargs["slug"])
        briefs = selectors.briefs(request.user, round_)
        return Response(serializers.BriefSerializer(briefs, many=True).data)


# --- The agreed targets dataset and the change feed ------------------------------------------


@extend_schema(
    tags=["datasets"],
    parameters=[
        OpenApiParameter(
            "format", str, enum=["json", "csv"], description="Or send Accept: text/csv."
        )
    ],
    responses={
        (200, "application/json"): serializers.AgreedTargetsSerializer,
        (200, "text/csv"): OpenApiTypes.STR,
        **ERRORS,
    },
)
class AgreedTargets(ReadApiView, generics.GenericAPIView):
    """Every signed target of a round, one row each, from each agreement's signed version:
    keyed by round, area ONS code and indicator code (a local target of its own by its
    target key). As JSON, or CSV with each year's value and places in columns."""

    serializer_class = serializers.AgreedTargetsSerializer
    renderer_classes = [JSONRenderer, AgreedTargetsCSVRenderer]
    pagination_class = None

    def get(self, request, *args, **kwargs):
        round_ = selectors.round_for(kwargs["slug"])
        dataset = selectors.agreed_targets(request.user, round_)

        def body():
            # The rows are plain values already: sent as they are, not through a serializer
            # field by field, which would cost more than the rest of the request.
            response = Response(
                {
                    "round": round_.slug,
                    "years": round_.years,
                    "agreements": dataset.agreements,
                    "count": len(dataset.rows),
                    "rows": dataset.rows,
                }
            )
            if request.accepted_renderer.format == "csv":
                response["Content-Disposition"] = (
                    f'attachment; filename="agreed-targets-{round_.slug}.csv"'
                )
            return response

        last = dataset.last_signed_at
        return conditional(
            request,
            body,
            etag_source=f"{round_.slug}|{dataset.agreements}|{len(dataset.rows)}|{last}|"
            f"{request.accepted_renderer.format}",
            last_modified=last,
        )


CHANGES_LIMIT = 500


@extend_schema(
    tags=["changes"],
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            required=True,
            description="ISO 8601 moment; pass the last answer's next_since.",
        )
    ],
    responses={200: serializers.ChangesSerializer, **ERRORS},
)
class Changes(ReadApiView, generics.GenericAPIView):
    """Agreements and versions changed after `since`, oldest first, so that a consumer
    polls cheaply instead of reading everything again."""

    serializer_class = serializers.ChangesSerializer
    pagination_class = None

    def get(self, request, *args, **kwargs):
        raw = request.query_params.get("since", "")
        try:
            since = parse_datetime(raw.replace(" ", "+")) if raw else None
        except ValueError:  # well formed, but no such moment (a 13th month)
            since = None
        if since is None:
            raise exceptions.ValidationError(
                {"since": ["Give a moment in ISO 8601, e.g. 2008-06-30T12:00:00Z."]}
            )
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        found, more = selectors.changes_since(request.user, since, CHANGES_LIMIT)

        def url(change):
            if change.version is None:
                return reverse(
                    "api:agreement-detail",
                    kwargs={"round": change.round, "area": change.area},
                    request=request,
                )
            return reverse(
                "api:version-detail",
                kwargs={"round": change.round, "area": change.area, "number": change.version},
                request=request,
            )

        data = {
            "since": since,
            "next_since": found[-1].changed_at if found else since,
            "has_more": more,
            "changes": [
                {
                    "type": change.type,
                    "changed_at": change.changed_at,
                    "round": change.round,
                    "area": change.area,
                    "version": change.version,
                    "url": url(change),
                }
                for change in found
            ],
        }
        return Response(serializers.ChangesSerializer(data).data)
