"""Inventories over HTTP (docs/interfaces.md §4): list and create, detail with activity and the
result's trace, activity lines. Thin views: reads through selectors scoped to the user,
writes through services."""

from django.core.paginator import InvalidPage
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound as DrfNotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField, query_int
from carbon_portal.accounts.models import Enterprise, Role
from carbon_portal.api.read_cache import cached_read
from carbon_portal.api.errors import errors
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.regions import region_name
from workflows.selectors import (
    available_transitions,
    current_engagement,
    flagged_record_ids,
    inventory_for,
    with_flags,
)
from carbon_portal.api.workflows.serializers import EvidenceRefSerializer

from inventories.choices import Category, Fuel, InventoryStatus
from inventories.models import ActivityRecord, CalculationResult, Inventory
from inventories.selectors import inventories_visible_to, latest_result
from inventories.services import add_activity, correct_activity, create_inventory, remove_activity

# --- Serializers -----------------------------------------------------------------------------------


class RegionNameField(serializers.CharField):
    """The GB/T 2260 name of a region code (浙江省杭州市西湖区); an unknown code as it is."""

    def to_representation(self, value):
        return region_name(value)


class EnterpriseRefSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    name = serializers.CharField()
    industry = serializers.CharField(source="industry_id")
    region_code = serializers.CharField()
    region_name = RegionNameField(source="region_code", read_only=True)


class InventorySummarySerializer(serializers.Serializer):
    id = AsciiIntegerField()
    enterprise = EnterpriseRefSerializer()
    year = AsciiIntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    added_value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    total_tco2e = AsciiDecimalField(max_digits=24, decimal_places=6, allow_null=True, default=None,
                                    help_text=_("Of the latest calculation, if any."))
    intensity_tco2e_per_10k_yuan = AsciiDecimalField(max_digits=20, decimal_places=6, allow_null=True,
                                                     default=None)
    updated_at = serializers.DateTimeField()


class InventoryCreateSerializer(serializers.Serializer):
    year = AsciiIntegerField(min_value=1990, max_value=2100)
    added_value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, required=False,
                                             allow_null=True, min_value=0)
    enterprise = AsciiIntegerField(required=False, help_text=_(
        "Required for administrators, and for officers of more than one enterprise."))
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)


class ActivityRecordSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    category = serializers.CharField()
    fuel = serializers.CharField()
    description = serializers.CharField()
    quantity = AsciiDecimalField(max_digits=24, decimal_places=8)
    unit = serializers.CharField()
    parameters = serializers.DictField(child=serializers.CharField())
    origin = serializers.CharField()
    evidence = EvidenceRefSerializer(allow_null=True)
    meter = serializers.CharField(source="meter.identifier", allow_null=True, default=None)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    flagged = serializers.BooleanField(default=False, help_text=_("An unresolved finding points at this record."))
    updated_at = serializers.DateTimeField()


class ActivityLineSerializer(serializers.Serializer):
    """One line in the form of docs/interfaces.md §3 (documentation of the request body)."""

    category = serializers.ChoiceField(choices=Category.choices)
    fuel = serializers.ChoiceField(choices=Fuel.choices, required=False)
    description = serializers.CharField(required=False)
    quantity = serializers.CharField(help_text=_("A decimal string, not negative."))
    unit = serializers.CharField()
    ncv = serializers.CharField(required=False)
    ncv_unit = serializers.CharField(required=False)
    carbon_content = serializers.CharField(required=False)
    carbon_content_unit = serializers.CharField(required=False)
    oxidation_rate = serializers.CharField(required=False)
    emission_factor = serializers.CharField(required=False)
    emission_factor_unit = serializers.CharField(required=False)
    density = serializers.CharField(required=False)
    density_unit = serializers.CharField(required=False)


class ActivityLinePatchSerializer(ActivityLineSerializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    quantity = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)


class ResultLineSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    index = AsciiIntegerField()
    activity_record = AsciiIntegerField(source="activity_record_id", allow_null=True)
    category = serializers.CharField()
    inputs = serializers.DictField()
    tco2e = AsciiDecimalField(max_digits=24, decimal_places=6)
    activity_gj = AsciiDecimalField(max_digits=24, decimal_places=6, allow_null=True)
    energy_tce = AsciiDecimalField(max_digits=24, decimal_places=6)
    factors = serializers.DictField()
    formula = serializers.CharField()
    conversions = serializers.ListField(child=serializers.JSONField())


class ResultSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    factor_set = serializers.CharField(source="factor_set.__str__")
    total_tco2e = AsciiDecimalField(max_digits=24, decimal_places=6)
    by_category = serializers.DictField(child=serializers.CharField())
    energy_tce = AsciiDecimalField(max_digits=24, decimal_places=6)
    energy_related_tco2e = AsciiDecimalField(max_digits=24, decimal_places=6)
    added_value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, allow_null=True)
    intensity_tco2e_per_10k_yuan = AsciiDecimalField(max_digits=20, decimal_places=6, allow_null=True)
    factor_snapshot = serializers.JSONField(help_text=_("The factor values this result used."))
    calculated_at = serializers.DateTimeField()
    lines = ResultLineSerializer(many=True, source="lines.all",
                                 help_text=_("Every line with its trace: inputs, factors, formula."))
    exclusions = serializers.ListField(child=serializers.DictField(), help_text=_(
        "Records left out of this calculation as double counting: activity_record, origin, line, decision, "
        "counted, reason, decided_by, decided_at."))


class EngagementRefSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    verifier_body = serializers.CharField(source="verifier_body.name")
    verifier_body_id = AsciiIntegerField()
    status = serializers.CharField()


class InventoryDetailSerializer(InventorySummarySerializer):
    factor_set = serializers.CharField(source="factor_set.__str__")
    activity = ActivityRecordSerializer(many=True)
    result = ResultSerializer(allow_null=True)
    engagement = EngagementRefSerializer(allow_null=True)
    flagged_records = serializers.ListField(child=AsciiIntegerField(), help_text=_(
        "Records an unresolved finding points at: while corrections are requested, the only ones that "
        "may change."))
    transitions = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Transitions you can take now."))


# --- Views -----------------------------------------------------------------------------------------


class InventoryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """`page_size` in the digits 0-9 (else 400), at most `max_page_size`."""
        size = query_int(request, self.page_size_query_param)
        return self.page_size if not size else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        """Like DRF's, but the page stays a queryset (the caller picks the columns)."""
        self.request = request
        if request.query_params.get(self.page_query_param) not in self.last_page_strings:
            query_int(request, self.page_query_param)  # the digits 0-9 (Django's Paginator takes "１")
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(self.get_page_number(request, paginator))
        except InvalidPage as exc:
            raise DrfNotFound(self.invalid_page_message.format(page_number=request.query_params.get(
                self.page_query_param), message=str(exc))) from exc
        return self.page.object_list


LIST_ORDER = ("-year", "enterprise_id", "-pk")


def _listed(queryset):
    latest = CalculationResult.objects.filter(inventory=OuterRef("pk")).order_by("-calculated_at", "-id")
    return (queryset.select_related("enterprise")
            .annotate(total_tco2e=Subquery(latest.values("total_tco2e")[:1]),
                      intensity_tco2e_per_10k_yuan=Subquery(latest.values("intensity_tco2e_per_10k_yuan")[:1]))
            .order_by(*LIST_ORDER))


# The list is the busiest read of the portal: its rows are built from `.values()` by hand, in
# exactly the shape InventorySummarySerializer documents (tests/api/test_inventories_api.py
# compares them), because model instances and a DRF serializer per row cost more than the
# query. The serializer's own field instances format the values.
_ROW_FIELDS = ("id", "year", "period_start", "period_end", "added_value_10k_yuan", "status", "updated_at",
               "enterprise_id", "enterprise__name", "enterprise__industry_id", "enterprise__region_code",
               "total_tco2e", "intensity_tco2e_per_10k_yuan")
_FORMAT = {name: field for name, field in InventorySummarySerializer().fields.items()}
_STATUS_LABELS = dict(InventoryStatus.choices)


def _rows_of(ids: list[int]) -> list[dict]:
    """Summary rows of these inventories, in this order."""
    rows = {row["id"]: row for row in _rows(_listed(Inventory.objects.filter(pk__in=ids)))} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


def _rows(queryset) -> list[dict]:
    def decimal(name, value):
        return None if value is None else _FORMAT[name].to_representation(value)

    return [
        {
            "id": row["id"],
            "enterprise": {"id": row["enterprise_id"], "name": row["enterprise__name"],
                           "industry": row["enterprise__industry_id"], "region_code": row["enterprise__region_code"],
                           "region_name": region_name(row["enterprise__region_code"])},
            "year": row["year"],
            "period_start": row["period_start"].isoformat(),
            "period_end": row["period_end"].isoformat(),
            "added_value_10k_yuan": decimal("added_value_10k_yuan", row["added_value_10k_yuan"]),
            "status": row["status"],
            "status_display": str(_STATUS_LABELS.get(row["status"], row["status"])),
            "total_tco2e": decimal("total_tco2e", row["total_tco2e"]),
            "intensity_tco2e_per_10k_yuan": decimal("intensity_tco2e_per_10k_yuan",
                                                    row["intensity_tco2e_per_10k_yuan"]),
            "updated_at": _FORMAT["updated_at"].to_representation(row["updated_at"]),
        }
        for row in queryset.values(*_ROW_FIELDS)
    ]


class InventoryListCreateApi(APIView):
    @extend_schema(
        operation_id="inventories_list",
        parameters=[
            inline_serializer("InventoryListQuery", {
                "status": serializers.CharField(required=False),
                "year": AsciiIntegerField(required=False),
                "enterprise": AsciiIntegerField(required=False),
                "page": AsciiIntegerField(required=False),
                "page_size": AsciiIntegerField(required=False),
            }),
        ],
        responses={200: inline_serializer("PaginatedInventoryList", {
            "count": AsciiIntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": InventorySummarySerializer(many=True),
        }), **errors(400, 401, 403)},
    )
    @cached_read
    def get(self, request):
        inventories = inventories_visible_to(request.user)
        if request.query_params.get("status"):
            inventories = inventories.filter(status=request.query_params["status"])
        for field, lookup in (("year", "year"), ("enterprise", "enterprise_id")):
            value = query_int(request, field)
            if value is not None:
                inventories = inventories.filter(**{lookup: value})
        paginator = InventoryPagination()
        # The page's ids first (the inventory table only), then its rows with their joins.
        page = paginator.paginate_queryset(inventories.order_by(*LIST_ORDER), request, view=self)
        return paginator.get_paginated_response(_rows_of(list(page.values_list("pk", flat=True))))

    @extend_schema(operation_id="inventories_create", request=InventoryCreateSerializer,
                   responses={201: InventorySummarySerializer, **errors(400, 401, 403)})
    def post(self, request):
        payload = InventoryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        enterprise = _enterprise_for_new_inventory(request.user, data.get("enterprise"))
        inventory = create_inventory(
            enterprise=enterprise, year=data["year"], created_by=request.user,
            added_value_10k_yuan=data.get("added_value_10k_yuan"),
            period_start=data.get("period_start"), period_end=data.get("period_end"),
        )
        return Response(_rows(_listed(Inventory.objects.filter(pk=inventory.pk)))[0], status=status.HTTP_201_CREATED)


def _enterprise_for_new_inventory(user, enterprise_id) -> Enterprise:
    if user.is_superuser or Role.ADMIN in user.roles:
        if enterprise_id is None:
            raise InvalidInput(_("Say for which enterprise: an administrator adds \"enterprise\"."))
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
        if enterprise is None:
            raise InvalidInput(_("There is no such enterprise."))
        return enterprise
    officer_of = list(Enterprise.objects.filter(memberships__user=user, memberships__role=Role.OFFICER))
    if not officer_of:
        raise PermissionDenied(_("Only an enterprise's carbon officers open its inventories."))
    if enterprise_id is None:
        if len(officer_of) > 1:
            raise InvalidInput(_("You are an officer of several enterprises: say which in \"enterprise\"."))
        return officer_of[0]
    for enterprise in officer_of:
        if enterprise.pk == enterprise_id:
            return enterprise
    raise PermissionDenied(_("You are not a carbon officer of that enterprise."))


class InventoryDetailApi(APIView):
    @extend_schema(operation_id="inventories_retrieve",
                   responses={200: InventoryDetailSerializer, **errors(401, 403, 404)})
    @cached_read
    def get(self, request, pk):
        inventory = inventory_for(request.user, pk)
        summary = _listed(Inventory.objects.filter(pk=inventory.pk)).select_related("factor_set").get()
        result = latest_result(inventory)
        if result is not None:
            result = (CalculationResult.objects.select_related("factor_set")
                      .prefetch_related("lines").get(pk=result.pk))
        summary.activity = _records(inventory)
        summary.result = result
        summary.engagement = current_engagement(inventory)
        summary.flagged_records = sorted(flagged_record_ids(inventory))
        summary.transitions = available_transitions(request.user, inventory)
        return Response(InventoryDetailSerializer(summary).data)


def _records(inventory):
    return with_flags(ActivityRecord.objects.filter(inventory=inventory)
                      .select_related("evidence", "meter").order_by("id"))


class InventoryActivityApi(APIView):
    @extend_schema(operation_id="inventories_activity_list",
                   responses={200: ActivityRecordSerializer(many=True), **errors(401, 403, 404)})
    def get(self, request, pk):
        inventory = inventory_for(request.user, pk)
        return Response(ActivityRecordSerializer(_records(inventory), many=True).data)

    @extend_schema(operation_id="inventories_activity_create", request=ActivityLineSerializer,
                   responses={201: ActivityRecordSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        inventory = inventory_for(request.user, pk)
        line = dict(request.data.items()) if isinstance(request.data, dict) else request.data
        record = add_activity(inventory=inventory, actor=request.user, line=line)
        return Response(ActivityRecordSerializer(_records(inventory).get(pk=record.pk)).data,
                        status=status.HTTP_201_CREATED)


class ActivityRecordApi(APIView):
    @extend_schema(operation_id="inventories_activity_partial_update", request=ActivityLinePatchSerializer,
                   responses={200: ActivityRecordSerializer, **errors(400, 401, 403, 404, 409)})
    def patch(self, request, pk, record_id):
        inventory = inventory_for(request.user, pk)
        if not inventory.activity_records.filter(pk=record_id).exists():
            raise NotFound(_("No such activity record in this inventory."))
        record = correct_activity(record_id=record_id, actor=request.user, changes=request.data)
        return Response(ActivityRecordSerializer(_records(inventory).get(pk=record.pk)).data)

    @extend_schema(operation_id="inventories_activity_remove",
                   request=inline_serializer("ActivityRemoval", {"reason": serializers.CharField(max_length=1000)}),
                   responses={204: None, **errors(400, 401, 403, 404, 409)},
                   description="Remove a record while the data is collected; `reason` is required and kept, "
                               "with who removed it and the line, in the inventory's audit trail.")
    def delete(self, request, pk, record_id):
        inventory = inventory_for(request.user, pk)
        if not inventory.activity_records.filter(pk=record_id).exists():
            raise NotFound(_("No such activity record in this inventory."))
        reason = request.data.get("reason") if isinstance(request.data, dict) else None
        remove_activity(record_id=record_id, actor=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)

