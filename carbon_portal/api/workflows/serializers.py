"""JSON shapes of the workflow API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField
from workflows.choices import AssuranceLevel, Conclusion
from workflows.models.engagements import DEFAULT_MATERIALITY_PERCENT


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "Goes into the audit trail. Required to return (what must change) and to decline (the reason)."))
    declaration = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "accept only: the conflict-of-interest declaration."))
    no_conflict = serializers.BooleanField(required=False, default=False, help_text=_(
        "accept only: true declares that the body has no conflict of interest with the enterprise."))


class AuditEntrySerializer(serializers.Serializer):
    sequence = AsciiIntegerField()
    entity = serializers.CharField()
    object_id = AsciiIntegerField()
    name = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor_username")
    comment = serializers.CharField()
    details = serializers.JSONField()
    created_at = serializers.DateTimeField()
    previous_hash = serializers.CharField()
    entry_hash = serializers.CharField()


class TransitionResultSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    transitions = serializers.ListField(child=serializers.CharField(), help_text=_("What you can do next."))
    entry = AuditEntrySerializer(help_text=_("The audit entry this transition wrote."))


class VerifierBodySerializer(serializers.Serializer):
    id = AsciiIntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    accreditation_number = serializers.CharField()
    accredited_from = serializers.DateField()
    accredited_until = serializers.DateField()


class ChooseVerifierSerializer(serializers.Serializer):
    verifier_body = AsciiIntegerField()


class InventoryRefSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    enterprise = serializers.CharField(source="enterprise.name")
    year = AsciiIntegerField()
    status = serializers.CharField()


class EvidenceRefSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    original_name = serializers.CharField()
    sha256 = serializers.CharField()


class SampledRecordSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    activity_record = AsciiIntegerField(source="activity_record_id")
    line = serializers.DictField(source="activity_record.as_line")
    evidence = EvidenceRefSerializer(source="activity_record.evidence", allow_null=True)
    method = serializers.CharField()
    seed = AsciiIntegerField(allow_null=True)
    selected_at = serializers.DateTimeField()
    conforms = serializers.BooleanField(allow_null=True)
    note = serializers.CharField()
    checked_at = serializers.DateTimeField(allow_null=True)


class SampleRequestSerializer(serializers.Serializer):
    size = AsciiIntegerField(required=False, min_value=1, help_text=_(
        "Draw this many at random (default: the square root of the number of records, rounded up)."))
    seed = AsciiIntegerField(required=False, min_value=0, help_text=_("Repeat an earlier random draw."))
    activity_records = serializers.ListField(child=AsciiIntegerField(), required=False, help_text=_(
        "Or name the records to check."))


class SampleCheckSerializer(serializers.Serializer):
    conforms = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IdListField(serializers.ListField):
    """The ids of a to-many relation (uses the prefetched rows)."""

    child = AsciiIntegerField()

    def to_representation(self, value):
        return [obj.pk for obj in value.all()]


class FindingSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    engagement = AsciiIntegerField(source="engagement_id")
    inventory = AsciiIntegerField(source="inventory_id")
    number = AsciiIntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    activity_records = IdListField(read_only=True)
    result_lines = IdListField(read_only=True)
    response = serializers.CharField()
    raised_by = serializers.CharField()
    raised_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class FindingRequestSerializer(serializers.Serializer):
    reason = serializers.CharField()
    activity_records = serializers.ListField(child=AsciiIntegerField(), required=False, default=list)
    result_lines = serializers.ListField(child=AsciiIntegerField(), required=False, default=list)


class FindingResponseSerializer(serializers.Serializer):
    response = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    conclusion = serializers.CharField()
    assurance_level = serializers.CharField()
    materiality_threshold_percent = AsciiDecimalField(max_digits=5, decimal_places=2)
    misstatement_tco2e = AsciiDecimalField(max_digits=24, decimal_places=6)
    misstatement_percent = AsciiDecimalField(max_digits=12, decimal_places=4, allow_null=True)
    result = AsciiIntegerField(source="result_id", allow_null=True)
    text = serializers.CharField()
    prepared_by = serializers.CharField()
    updated_at = serializers.DateTimeField()
    issued_at = serializers.DateTimeField(allow_null=True)


class OpinionRequestSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    assurance_level = serializers.ChoiceField(choices=AssuranceLevel.choices, default=AssuranceLevel.REASONABLE)
    materiality_threshold_percent = AsciiDecimalField(max_digits=5, decimal_places=2,
                                                      default=DEFAULT_MATERIALITY_PERCENT)
    misstatement_tco2e = AsciiDecimalField(max_digits=24, decimal_places=6, default="0")
    text = serializers.CharField()


class EngagementSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    inventory = InventoryRefSerializer()
    verifier_body = VerifierBodySerializer()
    status = serializers.CharField()
    chosen_at = serializers.DateTimeField()
    proposed_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    no_conflict_declared = serializers.BooleanField()
    conflict_declaration = serializers.CharField()
    decline_reason = serializers.CharField()
    ended_at = serializers.DateTimeField(allow_null=True)


class EngagementDetailSerializer(EngagementSerializer):
    samples = SampledRecordSerializer(many=True, source="samples.all")
    findings = FindingSerializer(many=True, source="findings.all")
    opinion = OpinionSerializer(allow_null=True, source="opinion_shown", help_text=_(
        "The draft is shown to the verifier body only; everyone else sees the issued opinion."))
    actions = serializers.ListField(child=serializers.CharField(), help_text=_("What you can do now."))


class NotificationSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    verb = serializers.CharField()
    message = serializers.CharField()
    inventory = AsciiIntegerField(source="inventory_id", allow_null=True)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class AuditReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries = AsciiIntegerField()
    head_hash = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
