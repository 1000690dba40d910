"""The workflow over HTTP: transitions, the audit trail, engagements, samples, findings,
opinions and notices (docs/interfaces.md §4). Thin views over `selectors` and `services`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.accounts.models import Role
from carbon_portal.api.read_cache import cached_read

from workflows import selectors, services
from carbon_portal.api.errors import errors
from carbon_portal.api.fields import query_int
from carbon_portal.api.reauth import require_fresh_authentication
from carbon_portal.core.errors import NotFound, PermissionDenied
from workflows.lifecycle import TRANSITION_NAMES
from carbon_portal.api.workflows.serializers import (
    AuditEntrySerializer,
    AuditReportSerializer,
    ChooseVerifierSerializer,
    CommentSerializer,
    EngagementDetailSerializer,
    EngagementSerializer,
    FindingRequestSerializer,
    FindingResponseSerializer,
    FindingSerializer,
    NotificationSerializer,
    OpinionRequestSerializer,
    OpinionSerializer,
    SampleCheckSerializer,
    SampledRecordSerializer,
    SampleRequestSerializer,
    TransitionInputSerializer,
    TransitionResultSerializer,
    VerifierBodySerializer,
)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Inventories: transitions, history, choosing the verifier -----------------------------------------


class InventoryTransitionApi(APIView):
    @extend_schema(
        operation_id="inventories_transition",
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES),
                                     description=str(_("A transition of docs/workflows.md.")))],
        request=TransitionInputSerializer,
        responses={200: TransitionResultSerializer, **errors(400, 401, 403, 404, 409)},
        description=str(_("409: not possible in the current state or a condition is not met; 403: not yours "
                          "to take. On any error nothing changes.")),
    )
    def post(self, request, pk, name):
        data = _valid(TransitionInputSerializer, request)
        if name == "certify":
            require_fresh_authentication(request)
        inventory = services.transition_inventory(inventory_id=pk, name=name, actor=request.user, **data)
        entry = selectors.transition_history(inventory).last()
        return Response(TransitionResultSerializer({
            "id": inventory.pk, "status": inventory.status, "status_display": inventory.get_status_display(),
            "transitions": selectors.available_transitions(request.user, inventory), "entry": entry,
        }).data)


class InventoryHistoryApi(APIView):
    @extend_schema(operation_id="inventories_history",
                   responses={200: AuditEntrySerializer(many=True), **errors(401, 404)},
                   description=str(_("The inventory's audit trail, oldest first. Government users see its "
                                     "transitions only.")))
    def get(self, request, pk):
        inventory = selectors.inventory_for(request.user, pk)
        roles = request.user.roles
        government_only = not request.user.is_superuser and roles and roles <= {Role.GOVERNMENT}
        entries = selectors.transition_history(inventory) if government_only else selectors.audit_trail(inventory)
        return Response(AuditEntrySerializer(entries, many=True).data)


class InventoryVerifierBodiesApi(APIView):
    @extend_schema(operation_id="inventories_verifier_bodies",
                   responses={200: VerifierBodySerializer(many=True), **errors(401, 404)},
                   description=str(_("Verifier bodies accredited today for the enterprise's industry.")))
    def get(self, request, pk):
        inventory = selectors.inventory_for(request.user, pk)
        return Response(VerifierBodySerializer(selectors.eligible_verifier_bodies(inventory), many=True).data)


class InventoryVerifierApi(APIView):
    @extend_schema(operation_id="inventories_choose_verifier", request=ChooseVerifierSerializer,
                   responses={201: EngagementSerializer, **errors(400, 401, 403, 404, 409)},
                   description=str(_("The officer chooses the verifier body: proposed when the reviewer "
                                     "approves, or at once after a body declined.")))
    def post(self, request, pk):
        data = _valid(ChooseVerifierSerializer, request)
        engagement = services.choose_verifier_body(inventory_id=pk, verifier_body_id=data["verifier_body"],
                                                   actor=request.user)
        return Response(EngagementSerializer(selectors.engagement_for(request.user, engagement.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- Engagements -------------------------------------------------------------------------------------


def _engagement_detail(request, pk):
    engagement = selectors.engagement_detail(request.user, pk)
    engagement.actions = sorted(selectors.engagement_actions(request.user, engagement))
    engagement.opinion_shown = selectors.visible_opinion(request.user, engagement)
    return EngagementDetailSerializer(engagement).data


class EngagementListApi(APIView):
    @extend_schema(operation_id="engagements_list",
                   parameters=[OpenApiParameter("status", str, required=False),
                               OpenApiParameter("inventory", int, required=False)],
                   responses={200: EngagementSerializer(many=True), **errors(401)})
    @cached_read
    def get(self, request):
        engagements = selectors.engagements_visible_to(request.user)
        if request.query_params.get("status"):
            engagements = engagements.filter(status=request.query_params["status"])
        if (inventory := query_int(request, "inventory")) is not None:
            engagements = engagements.filter(inventory_id=inventory)
        return Response(EngagementSerializer(engagements[:500], many=True).data)


class EngagementDetailApi(APIView):
    @extend_schema(operation_id="engagements_retrieve",
                   responses={200: EngagementDetailSerializer, **errors(401, 404)})
    def get(self, request, pk):
        return Response(_engagement_detail(request, pk))


class EngagementSamplesApi(APIView):
    @extend_schema(operation_id="engagements_sample", request=SampleRequestSerializer,
                   responses={201: SampledRecordSerializer(many=True), **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        data = _valid(SampleRequestSerializer, request)
        samples = services.sample_activity_records(
            engagement_id=pk, actor=request.user, size=data.get("size"), seed=data.get("seed"),
            record_ids=data.get("activity_records"))
        return Response(SampledRecordSerializer(samples, many=True).data, status=status.HTTP_201_CREATED)


class SampleCheckApi(APIView):
    @extend_schema(operation_id="engagements_sample_check", request=SampleCheckSerializer,
                   responses={200: SampledRecordSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk, sample_id):
        engagement = selectors.engagement_for(request.user, pk)
        if not engagement.samples.filter(pk=sample_id).exists():
            raise NotFound(_("No such sample in this engagement."))
        data = _valid(SampleCheckSerializer, request)
        sample = services.check_sampled_record(sample_id=sample_id, actor=request.user, **data)
        return Response(SampledRecordSerializer(sample).data)


class EngagementFindingsApi(APIView):
    @extend_schema(operation_id="engagements_raise_finding", request=FindingRequestSerializer,
                   responses={201: FindingSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        data = _valid(FindingRequestSerializer, request)
        finding = services.raise_finding(engagement_id=pk, actor=request.user, reason=data["reason"],
                                         activity_record_ids=data["activity_records"],
                                         result_line_ids=data["result_lines"])
        return Response(FindingSerializer(selectors.finding_for(request.user, finding.pk)).data,
                        status=status.HTTP_201_CREATED)


class EngagementOpinionApi(APIView):
    @extend_schema(operation_id="engagements_record_opinion", request=OpinionRequestSerializer,
                   responses={200: OpinionSerializer, **errors(400, 401, 403, 404, 409)},
                   description=str(_("Write the draft opinion; the verify or reject transition issues it.")))
    def put(self, request, pk):
        data = _valid(OpinionRequestSerializer, request)
        opinion = services.record_opinion(engagement_id=pk, actor=request.user, **data)
        return Response(OpinionSerializer(opinion).data)


# --- Findings ----------------------------------------------------------------------------------------


class FindingListApi(APIView):
    @extend_schema(operation_id="findings_list",
                   parameters=[OpenApiParameter("inventory", int, required=False),
                               OpenApiParameter("status", str, required=False)],
                   responses={200: FindingSerializer(many=True), **errors(401)})
    def get(self, request):
        findings = selectors.findings_visible_to(request.user).prefetch_related("activity_records", "result_lines")
        if (inventory := query_int(request, "inventory")) is not None:
            findings = findings.filter(inventory_id=inventory)
        if request.query_params.get("status"):
            findings = findings.filter(status=request.query_params["status"])
        return Response(FindingSerializer(findings[:500], many=True).data)


class FindingDetailApi(APIView):
    @extend_schema(operation_id="findings_retrieve", responses={200: FindingSerializer, **errors(401, 404)})
    def get(self, request, pk):
        return Response(FindingSerializer(selectors.finding_for(request.user, pk)).data)


class FindingRespondApi(APIView):
    @extend_schema(operation_id="findings_respond", request=FindingResponseSerializer,
                   responses={200: FindingSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        data = _valid(FindingResponseSerializer, request)
        finding = services.respond_to_finding(finding_id=pk, actor=request.user, response=data["response"])
        return Response(FindingSerializer(selectors.finding_for(request.user, finding.pk)).data)


class FindingCloseApi(APIView):
    @extend_schema(operation_id="findings_close", request=CommentSerializer,
                   responses={200: FindingSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        data = _valid(CommentSerializer, request)
        finding = services.close_finding(finding_id=pk, actor=request.user, comment=data["comment"])
        return Response(FindingSerializer(selectors.finding_for(request.user, finding.pk)).data)


class FindingReopenApi(APIView):
    @extend_schema(operation_id="findings_reopen", request=CommentSerializer,
                   responses={200: FindingSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        data = _valid(CommentSerializer, request)
        finding = services.reopen_finding(finding_id=pk, actor=request.user, comment=data["comment"])
        return Response(FindingSerializer(selectors.finding_for(request.user, finding.pk)).data)


# --- Notifications and the audit trail ------------------------------------------------------------------


class NotificationListApi(APIView):
    @extend_schema(operation_id="notifications_list",
                   parameters=[OpenApiParameter("unread", bool, required=False)],
                   responses={200: NotificationSerializer(many=True), **errors(401)})
    @cached_read
    def get(self, request):
        unread_only = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        notices = selectors.notifications_for(request.user, unread_only=unread_only)[:200]
        return Response(NotificationSerializer(notices, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(operation_id="notifications_read", request=None,
                   responses={200: NotificationSerializer, **errors(401, 404)})
    def post(self, request, pk):
        notice = services.mark_notification_read(notification_id=pk, user=request.user)
        return Response(NotificationSerializer(notice).data)


class AuditVerifyApi(APIView):
    @extend_schema(operation_id="audit_verify", responses={200: AuditReportSerializer, **errors(401, 403)},
                   description=str(_("Administrators: recompute the hash chain of the audit trail.")))
    def get(self, request):
        if not (request.user.is_superuser or Role.ADMIN in request.user.roles):
            raise PermissionDenied(_("Only platform administrators verify the audit trail."))
        report = services.verify_audit_chain()
        return Response(AuditReportSerializer({"ok": report.ok, "entries": report.entries,
                                               "head_hash": report.head_hash, "problems": report.problems}).data)
