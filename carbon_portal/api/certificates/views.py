"""HTTP API of labels (docs/interfaces.md §4): public resolution and keys, authenticated status changes
and documents. Thin: parsing, permissions and status codes; the work is in services/selectors."""

import hashlib
import json

from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.fields import AsciiIntegerField, query_int
from carbon_portal.api.reauth import require_fresh_authentication
from carbon_portal.core.errors import NotFound
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind
from certificates import key_store
from certificates.resolution import resolve
from certificates.selectors import documents_visible_to, labels_visible_to
from certificates.services import resume_label, revoke_label, suspend_label

NOT_FOUND_BODY = b'{"detail":"Not found."}'


def _json(body: bytes, request, *, status_code: int = 200) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if status_code == 200 and request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(body, status=status_code, content_type="application/json")
    response["Cache-Control"] = "no-cache"
    if status_code == 200:
        response["ETag"] = etag
    return response


class PublicView(APIView):
    """Public and cached: GET/HEAD skip DRF's request wrapping, negotiation and authentication
    (the hot path of resolution); the DRF class remains for the OpenAPI schema."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            response = self.get(request, *args, **kwargs)
            if request.method == "HEAD":
                response.content = b""
            return response
        return super().dispatch(request, *args, **kwargs)


class LabelDetailApi(PublicView):
    @extend_schema(
        operation_id="label_resolve",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "{identifier, kind, status, subject, period, figures, verifier, issued_at, valid_until, payload, "
            "signature: {alg, key_id, value}} — `payload` is the exact signed text (UTF-8), status is "
            "active|suspended|revoked|expired.")), 404: OpenApiResponse(description="Unknown or malformed identifier")},
    )
    def get(self, request, prefix: str, suffix: str):
        entry = resolve(f"{prefix}/{suffix}")
        if entry is None:
            return _json(NOT_FOUND_BODY, request, status_code=404)
        return _json(entry["body"].encode("utf-8"), request)


class LabelNotFoundApi(PublicView):
    @extend_schema(exclude=True)
    def get(self, request, rest: str = ""):
        return _json(NOT_FOUND_BODY, request, status_code=404)


class KeysApi(PublicView):
    @extend_schema(
        operation_id="label_keys",
        responses={200: inline_serializer("LabelKeys", {"keys": serializers.ListField(child=serializers.DictField())})},
        description="Every Ed25519 key that signs or signed labels: key_id, alg, status (current|retired), "
                    "public_key (raw, base64), public_key_pem.",
    )
    def get(self, request):
        body = json.dumps({"keys": key_store.published_keys()}, separators=(",", ":")).encode("utf-8")
        return _json(body, request)


class StatusChangeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


ACTIONS = {"suspend": suspend_label, "resume": resume_label, "revoke": revoke_label}


class LabelStatusApi(APIView):

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):  # a three-part "identifier": as unknown as any other
            return _json(NOT_FOUND_BODY, request, status_code=404)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(request=StatusChangeSerializer, responses={200: OpenApiTypes.OBJECT},
                   description="suspend | resume | revoke, with a reason; by an administrator or the label's "
                               "verifier body. 409 when the label's status does not allow it.")
    def post(self, request, prefix: str, suffix: str, action: str):
        label = labels_visible_to(request.user).filter(identifier=f"{prefix}/{suffix}").first()
        if label is None or action not in ACTIONS:
            raise NotFound(_("No such label."))
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if action in ("suspend", "revoke"):
            require_fresh_authentication(request)
        label = ACTIONS[action](label=label, actor=request.user, reason=serializer.validated_data["reason"])
        return Response({"identifier": label.identifier, "status": label.effective_status(),
                         "status_reason": label.status_reason})


class DocumentSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    kind = serializers.CharField()
    inventory = AsciiIntegerField(source="inventory_id")
    label = serializers.CharField(source="label.identifier", allow_null=True, default=None)
    filename = serializers.CharField()
    content_type = serializers.CharField()
    sha256 = serializers.CharField()
    size = AsciiIntegerField()
    created_at = serializers.DateTimeField()


class DocumentListApi(APIView):

    @extend_schema(responses={200: DocumentSerializer(many=True)},
                   description="Documents the caller may download; filter with ?inventory=<id>.")
    def get(self, request):
        documents = documents_visible_to(request.user).select_related("label").order_by("-created_at", "-id")
        if (inventory := query_int(request, "inventory")) is not None:
            documents = documents.filter(inventory_id=inventory)
        return Response(DocumentSerializer(documents[:500], many=True).data)


class DocumentDownloadApi(APIView):

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        document = documents_visible_to(request.user).filter(pk=pk).first()
        if document is None:
            raise NotFound(_("No such document."))
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                                content_type=document.content_type)
        response["X-Content-SHA256"] = document.sha256
        record_event(kind=EventKind.DOCUMENT_DOWNLOADED, request=request, document_id=document.pk,
                     filename=document.filename, sha256=document.sha256)
        return response


