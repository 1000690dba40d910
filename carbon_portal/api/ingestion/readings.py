"""POST /api/v1/readings, GET /api/v1/meters and a meter's readings, roll-ups and issues."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.errors import errors
from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField, query_int
from carbon_portal.api.master_data.serializers import MeterInSerializer
from carbon_portal.core.errors import PermissionDenied
from ingestion.models import DeviceKey
from ingestion.readings import selectors
from ingestion.readings.rows import RowError, parse_ts
from ingestion.readings.services import ingest_readings
from inventories.master_data import create_meter
from inventories.models import Meter
from carbon_portal.api.ingestion.parsers import DecimalJSONParser, ReadingsCSVParser
from carbon_portal.api.ingestion.scopes import DEVICE_OR_USER, visible_meters, writable_meters

MAX_LIST = 10_000

IngestAnswer = inline_serializer("IngestAnswer", {
    "accepted": AsciiIntegerField(),
    "duplicates": AsciiIntegerField(),
    "rejected": serializers.ListField(child=inline_serializer("RejectedRow", {
        "index": AsciiIntegerField(), "error": serializers.CharField()})),
})
ReadingsBody = inline_serializer("ReadingsBody", {
    "readings": serializers.ListField(child=inline_serializer("ReadingIn", {
        "meter": serializers.CharField(), "ts": serializers.DateTimeField(), "value": AsciiDecimalField(
            max_digits=20, decimal_places=6)})),
})


class ReadingsApi(APIView):
    """Store meter readings: JSON `{"readings": [{meter, ts, value}]}` or CSV (meter,ts,value)."""

    authentication_classes = DEVICE_OR_USER
    parser_classes = [DecimalJSONParser, ReadingsCSVParser]

    @extend_schema(request={"application/json": ReadingsBody, "text/csv": OpenApiTypes.STR},
                   responses={200: IngestAnswer}, operation_id="readings_create")
    def post(self, request):
        rows = request.data.get("readings") if isinstance(request.data, dict) else request.data
        if not isinstance(rows, list):
            raise ParseError(_('Send {"readings": [{"meter": ..., "ts": ..., "value": ...}, ...]}.'))
        if len(rows) > settings.READINGS_MAX_BATCH:
            raise ParseError(_("At most %(max)d readings per request; this one has %(count)d.")
                             % {"max": settings.READINGS_MAX_BATCH, "count": len(rows)})
        result = ingest_readings(rows=rows, scope=writable_meters(request))
        return Response(result.as_dict())


def local(ts: datetime.datetime) -> str:
    """A time in the portal's time zone, with its offset."""
    return timezone.localtime(ts).isoformat()


def plain(value) -> str:
    """A decimal without exponent or trailing zeros: 1011.500000 -> "1011.5"."""
    return format(value.normalize(), "f")


def meter_dict(meter) -> dict:
    return {
        "id": meter.pk,
        "identifier": meter.identifier,
        "name": meter.name,
        "energy_type": meter.energy_type,
        "unit": meter.unit,
        "reading_kind": meter.reading_kind,
        "register_max": plain(meter.register_max) if meter.register_max is not None else None,
        "active": meter.is_active,
        "enterprise": meter.enterprise.name,
        "last_reading_at": local(meter.last_reading_at) if meter.last_reading_at else None,
        "open_issues": meter.open_issues,
        "facility": meter.facility_id,
        "emission_source": meter.emission_source_id,
        "parent": meter.parent.identifier if meter.parent_id else None,
    }


class MetersApi(APIView):
    """The meters the caller may see (a device key: its own); officers register new ones."""

    authentication_classes = DEVICE_OR_USER

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="meters_list")
    def get(self, request):
        return Response({"meters": [meter_dict(meter) for meter in selectors.meter_list(visible_meters(request))]})

    @extend_schema(request=MeterInSerializer, responses={201: OpenApiTypes.OBJECT, **errors(400, 401, 403)},
                   operation_id="meters_create")
    def post(self, request):
        if isinstance(request.auth, DeviceKey):
            raise PermissionDenied(_("A device key sends readings; officers register meters."))
        payload = MeterInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        meter = create_meter(actor=request.user, **data)
        return Response(meter_answer(meter), status=status.HTTP_201_CREATED)


def meter_answer(meter: Meter) -> dict:
    """One meter as `GET /api/v1/meters` lists it (with its last reading and open issues)."""
    return meter_dict(selectors.meter_list(Meter.objects.filter(pk=meter.pk)).get())


def _meter(request, identifier: str):
    meter = visible_meters(request).filter(identifier=identifier).first()
    if meter is None:
        raise Http404
    return meter


def _time_param(request, name: str) -> datetime.datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    raw = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw)  # an unencoded "+" in the offset arrives as a space
    try:
        return parse_ts(raw)
    except RowError as error:
        raise ParseError(f"{name}: {str(error).removeprefix('ts: ')}") from None


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ParseError(_("%(name)s: a date such as 2025-03-01") % {"name": name}) from None


def _limit(request) -> int:
    limit = query_int(request, "limit", MAX_LIST)
    if not 1 <= limit <= MAX_LIST:
        raise ParseError(_("limit: between 1 and %(max)d") % {"max": MAX_LIST})
    return limit


TIME_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATETIME, description="ISO 8601 with offset, inclusive"),
    OpenApiParameter("end", OpenApiTypes.DATETIME, description="ISO 8601 with offset, exclusive"),
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"at most {MAX_LIST}"),
]


class MeterReadingsApi(APIView):
    """A meter's stored readings in [start, end), oldest first; `next` continues the list."""

    authentication_classes = DEVICE_OR_USER

    @extend_schema(parameters=TIME_PARAMETERS, responses={200: OpenApiTypes.OBJECT},
                   operation_id="meter_readings_list")
    def get(self, request, identifier: str):
        meter = _meter(request, identifier)
        start, end, limit = _time_param(request, "start"), _time_param(request, "end"), _limit(request)
        if start and end and end <= start:
            raise ParseError(_("end must be after start"))
        rows = selectors.readings_between(meter, start=start, end=end, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        answer = {"meter": meter.identifier, "unit": meter.unit, "reading_kind": meter.reading_kind,
                  "readings": [{"ts": local(ts), "value": plain(value)} for ts, value in rows],
                  "next": None}
        if more:
            query = request.query_params.copy()
            query["start"] = (rows[-1][0] + datetime.timedelta(microseconds=1)).isoformat()
            answer["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(answer)


class MeterRollupsApi(APIView):
    """A meter's consumption per day (`interval=day`, from `start` to `end` dates) or month."""

    authentication_classes = DEVICE_OR_USER

    @extend_schema(parameters=[OpenApiParameter("interval", str, enum=["day", "month"]),
                               OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE)],
                   responses={200: OpenApiTypes.OBJECT}, operation_id="meter_rollups_list")
    def get(self, request, identifier: str):
        meter = _meter(request, identifier)
        interval = request.query_params.get("interval", "day")
        if interval == "month":
            rows = [(r.month, r.consumption, r.reading_count) for r in selectors.monthly_rollups(meter)]
        elif interval == "day":
            today = datetime.date.today()
            start = _date_param(request, "start", today - datetime.timedelta(days=30))
            end = _date_param(request, "end", today)
            rows = [(r.day, r.consumption, r.reading_count)
                    for r in selectors.daily_rollups(meter, start=start, end=end)[:MAX_LIST]]
        else:
            raise ParseError(_("interval: day or month"))
        return Response({"meter": meter.identifier, "unit": meter.unit, "interval": interval, "rollups": [
            {"period": period.isoformat(), "consumption": plain(consumption), "readings": count}
            for period, consumption, count in rows]})


class MeterIssuesApi(APIView):
    """A meter's data-quality issues (open ones; `all=1` for the acknowledged too)."""

    authentication_classes = DEVICE_OR_USER

    @extend_schema(parameters=[OpenApiParameter("all", bool)], responses={200: OpenApiTypes.OBJECT},
                   operation_id="meter_issues_list")
    def get(self, request, identifier: str):
        meter = _meter(request, identifier)
        issues = selectors.quality_issues(meter, include_acknowledged=request.query_params.get("all") in ("1", "true"))
        return Response({"meter": meter.identifier, "issues": [
            {"kind": issue.kind, "ts": local(issue.ts), "details": issue.details,
             "acknowledged_at": local(issue.acknowledged_at) if issue.acknowledged_at else None}
            for issue in issues[:MAX_LIST]]})
