"""Activity data from collected data: meters' roll-ups, spreadsheet imports, templates."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.fields import AsciiIntegerField, int_param
from carbon_portal.accounts.models import Enterprise, Role
from inventories.selectors import inventories_visible_to

from ingestion.imports.services import ImportRefused, import_activity, import_readings
from ingestion.imports.templates import template_csv, template_xlsx
from ingestion.readings.activity import create_meter_activity

TEMPLATE_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class MeterActivityApi(APIView):
    """Replace the inventory's meter records by the meters' consumption over its period."""


    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT}, operation_id="inventory_meter_activity")
    def post(self, request, inventory_id: int):
        inventory = inventories_visible_to(request.user).filter(pk=inventory_id).first()
        if inventory is None:
            raise Http404
        report = create_meter_activity(inventory=inventory, created_by=request.user)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED)


class ImportsApi(APIView):
    """Import a spreadsheet: multipart `file`, `kind` (activity or readings), and `inventory`
    (activity) or `enterprise` (readings, when the user is an officer of several)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": inline_serializer("ImportUpload", {
        "file": serializers.FileField(), "kind": serializers.ChoiceField(["activity", "readings"]),
        "inventory": AsciiIntegerField(required=False), "enterprise": AsciiIntegerField(required=False),
        "all_or_nothing": serializers.BooleanField(required=False)})},
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}, operation_id="imports_create")
    def post(self, request):
        upload, kind = request.FILES.get("file"), request.data.get("kind")
        if upload is None:
            raise ParseError(_("Send the spreadsheet as the multipart field `file`."))
        try:
            if kind == "activity":
                inventory = inventories_visible_to(request.user).filter(pk=int_param(request.data, "inventory")).first()
                if inventory is None:
                    raise Http404
                batch = import_activity(inventory=inventory, imported_by=request.user, data=upload.read(),
                                        filename=upload.name,
                                        all_or_nothing=request.data.get("all_or_nothing") in ("1", "true", "on"))
            elif kind == "readings":
                batch = import_readings(enterprise=_enterprise(request), imported_by=request.user,
                                        data=upload.read(), filename=upload.name)
            else:
                raise ParseError(_("kind: activity or readings"))
        except ImportRefused as refused:
            return Response({"detail": refused.messages[0], "code": "invalid", "report": refused.report},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(batch.as_report(), status=status.HTTP_201_CREATED)


def _enterprise(request) -> Enterprise:
    enterprises = Enterprise.objects.filter(memberships__user=request.user, memberships__role=Role.OFFICER)
    chosen = int_param(request.data, "enterprise")
    if chosen is not None:
        enterprises = enterprises.filter(pk=chosen)
    enterprises = list(enterprises.distinct()[:2])
    if not enterprises:
        raise Http404
    if len(enterprises) > 1:
        raise ParseError(_("enterprise: you are an officer of several enterprises; say which."))
    return enterprises[0]


class ImportTemplateApi(APIView):
    """The template of an import (`activity` or `readings`) as CSV or XLSX."""


    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   operation_id="imports_template")
    def get(self, request, kind: str, extension: str):
        return template_response(kind, extension)


def template_response(kind: str, extension: str) -> HttpResponse:
    if kind not in ("activity", "readings") or extension not in TEMPLATE_TYPES:
        raise Http404
    content = template_csv(kind) if extension == "csv" else template_xlsx(kind)
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="carbon-portal-{kind}-template.{extension}"'
    return response
