"""Invoices through the API: upload (answered with the extraction to confirm), read, confirm,
discard; page images of evidence files."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from inventories.selectors import inventories_visible_to

from ingestion.evidence.render import PageNotFound, page_png
from ingestion.evidence.selectors import evidence_visible_to
from ingestion.evidence.services import read_evidence
from ingestion.invoices import selectors
from ingestion.invoices.services import confirm_invoice, discard_invoice, upload_invoice
from ingestion.models import InvoiceDraft
from carbon_portal.api.ingestion.parsers import DecimalJSONParser
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind

POLL_EVERY = 0.25


def _inventory(request, inventory_id: int):
    inventory = inventories_visible_to(request.user).filter(pk=inventory_id).first()
    if inventory is None:
        raise Http404
    return inventory


def _draft(request, inventory_id: int, draft_id: int) -> InvoiceDraft:
    draft = selectors.draft_of(_inventory(request, inventory_id), draft_id)
    if draft is None:
        raise Http404
    return draft


def draft_dict(request, draft: InvoiceDraft) -> dict:
    evidence = draft.evidence
    duplicate = draft.duplicate_of
    return {
        "id": draft.pk,
        "inventory": draft.inventory_id,
        "status": draft.status,
        "evidence": {
            "id": evidence.pk, "file_name": evidence.original_name, "sha256": evidence.sha256,
            "content_type": evidence.content_type, "size": evidence.size, "pages": evidence.pages,
            "page_images": [request.build_absolute_uri(reverse("api:ingestion_api:evidence-page",
                                                               args=[evidence.pk, page]))
                            for page in range(1, evidence.pages + 1)],
        },
        "extraction": draft.extraction,
        "error": draft.error,
        "duplicate_of": None if duplicate is None else {
            "id": duplicate.pk, "inventory": duplicate.inventory_id, "status": duplicate.status},
        "confirmed_data": draft.confirmed_data,
        # Confirmed although its buyer or date did not fit the inventory: what and why.
        "override": {"checks": draft.overridden_checks, "reason": draft.override_reason}
        if draft.overridden_checks else None,
        "activity_records": list(selectors.records_of(draft).values_list("pk", flat=True)),
        "confirm_url": request.build_absolute_uri(reverse("api:ingestion_api:evidence-confirm",
                                                          args=[draft.inventory_id, draft.pk])),
        "created_at": draft.created_at.isoformat(),
    }


def _wait_for_extraction(draft: InvoiceDraft) -> InvoiceDraft:
    """With real workers, wait a little for the extraction so that the answer can carry it."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return draft
    deadline = time.monotonic() + settings.INVOICE_EXTRACTION_WAIT_SECONDS
    while draft.status == InvoiceDraft.Status.PENDING and time.monotonic() < deadline:
        time.sleep(POLL_EVERY)
        draft.refresh_from_db()
    return draft


class EvidenceListApi(APIView):
    """An inventory's invoices: list them, or upload one (multipart `file`)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="inventory_evidence_list")
    def get(self, request, inventory_id: int):
        inventory = _inventory(request, inventory_id)
        return Response({"evidence": [draft_dict(request, d) for d in selectors.drafts_of(inventory)]})

    @extend_schema(request={"multipart/form-data": inline_serializer("EvidenceUpload", {
        "file": serializers.FileField()})}, responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT,
                                                          202: OpenApiTypes.OBJECT},
        operation_id="inventory_evidence_upload")
    def post(self, request, inventory_id: int):
        inventory = _inventory(request, inventory_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise ParseError(_("Send the invoice as the multipart field `file`."))
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ParseError(_("The file is too large: the limit is %(limit).1f MiB.")
                             % {"limit": settings.EVIDENCE_MAX_BYTES / 1048576})
        draft, created = upload_invoice(inventory=inventory, uploaded_by=request.user, data=upload.read(),
                                        filename=upload.name)
        draft = _wait_for_extraction(draft) if created else draft
        draft.refresh_from_db()
        code = status.HTTP_202_ACCEPTED if draft.status == InvoiceDraft.Status.PENDING else (
            status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        answer = draft_dict(request, draft)
        answer["already_uploaded"] = not created
        return Response(answer, status=code)


class EvidenceDetailApi(APIView):

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="inventory_evidence_detail")
    def get(self, request, inventory_id: int, draft_id: int):
        return Response(draft_dict(request, _draft(request, inventory_id, draft_id)))


class EvidenceConfirmApi(APIView):
    """Confirm an invoice: the body holds the corrected fields (any of the extraction's; `lines`
    replaces all lines); an empty body confirms the extraction as it is. An invoice of another
    buyer or dated outside the inventory period answers 409 (`buyer_mismatch`,
    `outside_period`) unless the body gives `override_reason`, which the verifier sees."""

    parser_classes = [DecimalJSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   operation_id="inventory_evidence_confirm")
    def post(self, request, inventory_id: int, draft_id: int):
        draft = _draft(request, inventory_id, draft_id)
        corrections = request.data if request.data else None
        if corrections is not None and not isinstance(corrections, dict):
            raise ParseError(_("Send the corrected fields as a JSON object."))
        corrections = _plain(corrections)
        override_reason = corrections.pop("override_reason", "") if corrections else ""
        confirm_invoice(draft=draft, confirmed_by=request.user, corrections=corrections or None,
                        override_reason=override_reason)
        return Response(draft_dict(request, selectors.draft_of(draft.inventory, draft.pk)),
                        status=status.HTTP_201_CREATED)


class EvidenceDiscardApi(APIView):

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT}, operation_id="inventory_evidence_discard")
    def post(self, request, inventory_id: int, draft_id: int):
        draft = discard_invoice(draft=_draft(request, inventory_id, draft_id), discarded_by=request.user)
        return Response(draft_dict(request, draft))


class EvidencePageApi(APIView):
    """A page of an evidence file as PNG."""


    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY}, operation_id="evidence_page")
    def get(self, request, evidence_id: int, page: int):
        response = evidence_page_response(request.user, evidence_id, page)
        record_event(kind=EventKind.EVIDENCE_DOWNLOADED, request=request, evidence_id=evidence_id, page=page)
        return response


def evidence_page_response(user, evidence_id: int, page: int) -> HttpResponse:
    evidence = evidence_visible_to(user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    try:
        png = page_png(read_evidence(evidence), evidence.content_type, page)
    except PageNotFound:
        raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _plain(value):
    """Decimals from the JSON parser back to strings: the invoice data is kept as text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value.__class__.__name__ == "Decimal":
        return format(value, "f")
    return value
