"""The Open Referral UK 3.0 API: read-only, open, under /api/oruk/. Views only parse, call a selector
and render; what is published is decided in ``search.oruk.selectors``."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search.oruk import schema as _schema_extensions  # noqa: F401 (registers the serializers' schema)
from search.oruk import selectors
from search.oruk.cors import OpenDataView
from search.oruk.filters import ServiceAtLocationFilter, ServiceFilter
from search.oruk.pagination import OpenReferralPagination
from search.oruk.serializers import (
    ServiceAtLocationListSerializer,
    ServiceAtLocationSerializer,
    ServiceListSerializer,
    ServiceSerializer,
    TaxonomySerializer,
    TaxonomyTermSerializer,
)

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
# The UK profile's OpenAPI document (CC BY-SA 4.0, Open Referral UK), kept beside this module.
OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
TAGS = ["Open Referral UK"]


INVALID_PARAMETERS = OpenApiResponse(
    inline_serializer(
        "OpenReferralInvalidParameters",
        {
            "message": serializers.CharField(help_text="What is wrong, in a sentence"),
            "errors": serializers.DictField(help_text="The messages for each parameter"),
        },
    ),
    description="A parameter is not valid (search.oruk.cors.OpenDataView)",
)
NOT_FOUND = OpenApiResponse(
    inline_serializer("OpenReferralNotFound", {"detail": serializers.CharField()}),
    description="Nothing is published with that id (or the id is not a UUID)",
)


class OpenReferralSchema(AutoSchema):
    """The error answers the open API gives, besides each view's own: 400 for a list's parameters
    (paging included), 404 for an id that nothing published has."""

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        errors = {"400": INVALID_PARAMETERS} if isinstance(self.view, OpenReferralList) else {}
        if isinstance(self.view, OpenReferralDetail):
            errors["404"] = NOT_FOUND
        for code, error in errors.items():
            responses.setdefault(code, self._get_response_for_code(error, code, direction=direction))
        return responses


class OpenReferralList(OpenDataView, generics.ListAPIView):
    pagination_class = OpenReferralPagination
    filter_backends: list = []
    schema = OpenReferralSchema()


class OpenReferralDetail(OpenDataView, generics.RetrieveAPIView):
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    schema = OpenReferralSchema()


@extend_schema(
    tags=TAGS,
    summary="About this API",
    responses=inline_serializer(
        "OpenReferralAbout",
        {"version": serializers.CharField(), "profile": serializers.URLField(), "openapi_url": serializers.URLField()},
    ),
)
class About(OpenDataView, APIView):
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": HSDS_VERSION,
                "profile": PROFILE_URL,
                "openapi_url": f"{settings.SITE_URL}{reverse('oruk:openapi')}",
            }
        )


@extend_schema(tags=TAGS, summary="The OpenAPI document of this API", responses={200: OpenApiTypes.OBJECT})
class OpenApiDocument(OpenDataView, APIView):
    def get(self, request: Request) -> Response:
        return Response(openapi_document(settings.SITE_URL))


@extend_schema(tags=TAGS, summary="Services, one page at a time")
class ServiceList(OpenReferralList):
    serializer_class = ServiceListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceFilter

    def get_queryset(self) -> QuerySet:
        return selectors.services()


@extend_schema(tags=TAGS, summary="A service with all its related data")
class ServiceDetail(OpenReferralDetail):
    serializer_class = ServiceSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.services_in_full(selectors.services())


@extend_schema(tags=TAGS, summary="Services at their venues, one page at a time")
class ServiceAtLocationList(OpenReferralList):
    serializer_class = ServiceAtLocationListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceAtLocationFilter

    def get_queryset(self) -> QuerySet:
        return selectors.service_at_locations()


@extend_schema(tags=TAGS, summary="A service at a venue, with the service's related data")
class ServiceAtLocationDetail(OpenReferralDetail):
    serializer_class = ServiceAtLocationSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.service_at_locations()


@extend_schema(tags=TAGS, summary="Taxonomies, one page at a time")
class TaxonomyList(OpenReferralList):
    serializer_class = TaxonomySerializer

    def get_queryset(self) -> QuerySet:
        return selectors.taxonomies()


@extend_schema(tags=TAGS, summary="A taxonomy")
class TaxonomyDetail(OpenReferralDetail):
    serializer_class = TaxonomySerializer

    def get_queryset(self) -> QuerySet:
        return selectors.taxonomies()


@extend_schema(tags=TAGS, summary="Taxonomy terms, one page at a time")
class TaxonomyTermList(OpenReferralList):
    serializer_class = TaxonomyTermSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.taxonomy_terms()


@extend_schema(tags=TAGS, summary="A taxonomy term")
class TaxonomyTermDetail(OpenReferralDetail):
    serializer_class = TaxonomyTermSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.taxonomy_terms()


def openapi_document(site_url: str) -> dict[str, Any]:
    """The UK profile's OpenAPI document, pointed at this server."""
    document = dict(_profile_openapi())
    document["servers"] = [{"url": f"{site_url}/api/oruk", "description": "Support Exchange"}]
    return document


@cache
def _profile_openapi() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
