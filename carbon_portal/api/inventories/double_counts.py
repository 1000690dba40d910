"""Possible double counting of an inventory over HTTP: the groups side by side with their
decision status, every decision taken, and the officer's choice (`inventories.double_counts`).
Thin views: reads through the selectors, the write through `decide_double_count`; refusals are
raised, the API's handler answers them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.errors import errors
from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField
from carbon_portal.api.workflows.serializers import EvidenceRefSerializer
from inventories.choices import Origin
from inventories.double_counting import COUNT_ALL, comparison
from inventories.double_counts import (
    MAX_REASON,
    current_decision_ids,
    decide_double_count,
    decisions_of,
    double_count_groups,
    facility_names,
    group_label,
    group_records,
)
from workflows.selectors import inventory_for

COUNTED_CHOICES = (*Origin.values, COUNT_ALL)


# --- Serializers -----------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    name = serializers.CharField()


class FacilityRefSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    name = serializers.CharField()


class ComparedRecordSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    origin = serializers.CharField()
    category = serializers.CharField()
    fuel = serializers.CharField()
    description = serializers.CharField()
    quantity = AsciiDecimalField(max_digits=24, decimal_places=8)
    unit = serializers.CharField()
    compared_quantity = serializers.CharField(allow_null=True, help_text=_(
        "The quantity in the group's comparison unit, when the units allow the conversion."))
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    meter = serializers.CharField(allow_null=True)
    emission_source = serializers.CharField(allow_null=True)
    evidence = EvidenceRefSerializer(allow_null=True)
    created_by = PersonSerializer()
    created_at = serializers.DateTimeField()
    counted = serializers.BooleanField(allow_null=True, help_text=_(
        "Whether the record counts under the decision that settles the group; null while unsettled."))


class OriginTotalSerializer(serializers.Serializer):
    origin = serializers.CharField()
    total = serializers.CharField(allow_null=True, help_text=_(
        "The origin's records together in the comparison unit; null when one could not be converted."))


class DecisionSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    group = serializers.CharField(source="group_key")
    counted = serializers.CharField(help_text=_("The origin whose records count, or \"all\"."))
    reason = serializers.CharField()
    decided_by = PersonSerializer()
    decided_at = serializers.DateTimeField()
    current = serializers.BooleanField(help_text=_("Whether this decision settles a group now."))
    records = serializers.ListField(child=serializers.DictField(), help_text=_(
        "The records as compared: activity_record, origin, line, period, counted."))


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    facility = FacilityRefSerializer(allow_null=True)
    category = serializers.CharField()
    fuel = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    origins = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=["unresolved", "decided", "reopened"], help_text=_(
        "reopened: a decision was taken, but records came or went since."))
    unit = serializers.CharField(help_text=_("The unit the quantities are compared in."))
    totals = OriginTotalSerializer(many=True)
    records = ComparedRecordSerializer(many=True)
    new_records = serializers.ListField(child=AsciiIntegerField(), help_text=_(
        "Records the latest decision did not cover."))
    decision = DecisionSerializer(allow_null=True)


class DoubleCountsSerializer(serializers.Serializer):
    groups = GroupSerializer(many=True)
    unresolved = AsciiIntegerField(help_text=_("Groups not settled: the inventory cannot be calculated."))
    decisions = DecisionSerializer(many=True, help_text=_("Every decision, latest first."))


class DecideSerializer(serializers.Serializer):
    group = serializers.CharField(required=False, max_length=120, help_text=_("The group's key."))
    records = serializers.ListField(child=AsciiIntegerField(min_value=1), required=False, max_length=10000,
                                    help_text=_("All the group's record ids, as compared."))
    counted = serializers.ChoiceField(choices=COUNTED_CHOICES, help_text=_(
        "The origin whose records count (the others are left out of the calculation), or \"all\"."))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=MAX_REASON)


class DecisionAnswerSerializer(serializers.Serializer):
    decision = DecisionSerializer()
    unresolved = AsciiIntegerField()


# --- Shapes ----------------------------------------------------------------------------------------


def _person(user) -> dict:
    return {"id": user.pk, "name": getattr(user, "display_name", "") or user.get_username()}


def _decision(decision, current: set[int]) -> dict:
    return {"id": decision.pk, "group_key": decision.group_key, "counted": decision.counted,
            "reason": decision.reason, "decided_by": _person(decision.decided_by), "decided_at": decision.decided_at,
            "current": decision.pk in current, "records": decision.compared}


def double_counts_answer(inventory) -> dict:
    groups = double_count_groups(inventory)
    names = facility_names(groups)
    decisions = list(decisions_of(inventory))
    current = {group.decision_id for group in groups if group.resolved}
    by_id = {decision.pk: decision for decision in decisions}
    rows = []
    for group in groups:
        unit, columns = comparison(group)
        models = group_records(inventory, group)
        converted = {record_id: value for column in columns for record_id, value in column.converted.items()}
        records = []
        for facts in group.records:
            record = models[facts.id]
            records.append({
                "id": record.pk, "origin": record.origin, "category": record.category, "fuel": record.fuel,
                "description": record.description, "quantity": record.quantity, "unit": record.unit,
                "compared_quantity": None if converted.get(record.pk) is None else format(converted[record.pk], "f"),
                "period_start": record.period_start, "period_end": record.period_end,
                "meter": record.meter.identifier if record.meter else None,
                "emission_source": record.emission_source.name if record.emission_source else None,
                "evidence": record.evidence, "created_by": _person(record.created_by),
                "created_at": record.created_at,
                "counted": (record.pk not in group.excluded_ids) if group.resolved else None,
            })
        decision = by_id.get(group.decision_id)
        rows.append({
            "key": group.key, "label": group_label(group, names),
            "facility": {"id": group.facility_id, "name": names.get(group.facility_id, "")}
            if group.facility_id else None,
            "category": group.category, "fuel": group.fuel, "period_start": group.period_start,
            "period_end": group.period_end, "origins": list(group.origins), "status": group.status, "unit": unit,
            "totals": [{"origin": column.origin,
                        "total": None if column.total is None else format(column.total, "f")} for column in columns],
            "records": records, "new_records": sorted(group.new_ids),
            "decision": _decision(decision, current) if decision else None,
        })
    return {"groups": rows, "unresolved": sum(1 for group in groups if not group.resolved),
            "decisions": [_decision(decision, current) for decision in decisions]}


# --- View ------------------------------------------------------------------------------------------


class DoubleCountsApi(APIView):
    @extend_schema(operation_id="inventories_double_counts_list",
                   responses={200: DoubleCountsSerializer, **errors(401, 403, 404)},
                   description="The inventory's records that may count the same energy twice: the same facility, "
                               "category and fuel over overlapping periods from more than one origin, side by "
                               "side, with each group's decision status and every decision taken.")
    def get(self, request, pk):
        inventory = inventory_for(request.user, pk)
        return Response(DoubleCountsSerializer(double_counts_answer(inventory)).data)

    @extend_schema(operation_id="inventories_double_counts_decide", request=DecideSerializer,
                   responses={201: DecisionAnswerSerializer, **errors(400, 401, 403, 404, 409)},
                   description="Choose which records of a group count: one origin's (the others are left out of "
                               "the calculation) or \"all\" (distinct energy). Name the group by `group` or by all "
                               "its `records`; `reason` is required. Only while the data is collected (else 409); "
                               "409 `group_changed` when records came or went since the group was shown.")
    def post(self, request, pk):
        inventory = inventory_for(request.user, pk)
        payload = DecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        decision = decide_double_count(inventory_id=inventory.pk, actor=request.user, counted=data["counted"],
                                       reason=data.get("reason", ""), group_key=data.get("group"),
                                       record_ids=data.get("records"))
        groups = double_count_groups(inventory)
        current = current_decision_ids(inventory)
        decision = decisions_of(inventory).get(pk=decision.pk)
        answer = {"decision": _decision(decision, current),
                  "unresolved": sum(1 for group in groups if not group.resolved)}
        return Response(DecisionAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
