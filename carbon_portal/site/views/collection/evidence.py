"""Evidence files for people: a page as PNG (for the confirmation page) and the original file."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from carbon_portal.api.ingestion.evidence import evidence_page_response
from ingestion.evidence.selectors import evidence_visible_to
from ingestion.evidence.services import read_evidence

EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif",
              "text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


@login_required
def page(request, evidence_id, page):
    return evidence_page_response(request.user, evidence_id, page)


@login_required
def original(request, evidence_id):
    evidence = evidence_visible_to(request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    response = HttpResponse(read_evidence(evidence), content_type=evidence.content_type)
    extension = EXTENSIONS.get(evidence.content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
