"""Evidence files for people: a page as PNG (for the confirmation page) and the original file."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from carbon_portal.api.ingestion.evidence import evidence_page_response
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind
from ingestion.evidence.selectors import evidence_visible_to
from ingestion.evidence.services import read_evidence

EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif",
              "text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


@login_required
def page(request, evidence_id, page):
    response = evidence_page_response(request.user, evidence_id, page)
    record_event(kind=EventKind.EVIDENCE_DOWNLOADED, request=request, evidence_id=evidence_id, page=page)
    return response


@login_required
def original(request, evidence_id):
    evidence = evidence_visible_to(request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    response = HttpResponse(read_evidence(evidence), content_type=evidence.content_type)
    extension = EXTENSIONS.get(evidence.content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    record_event(kind=EventKind.EVIDENCE_DOWNLOADED, request=request, evidence_id=evidence.pk, original=True,
                 sha256=evidence.sha256)
    return response
