"""Public resolution pages under /id/ (docs/interfaces.md §6): anyone, no login, cached data.

Unknown and malformed identifiers get the same plain 404 page (no stack trace, no hint of other
labels), answered directly rather than raised so that even DEBUG shows nothing more.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from certificates.identifiers import MAX_LENGTH, is_well_formed
from certificates.resolution import resolve
from certificates.selectors import public_certificate

STATUS_CLASSES = {"active": "ok", "suspended": "warn", "revoked": "bad", "expired": "bad"}


def not_found(request, *args, **kwargs) -> HttpResponse:
    return render(request, "certificates/not_found.html", status=404)


def typed_identifier(text: str) -> str:
    """What a buyer typed or pasted: an identifier, or the label page's address (from a QR code)."""
    text = text.strip()
    if "://" in text:
        text = unquote(urlsplit(text).path)
    if text.startswith("/id/"):
        text = text[len("/id/"):]
    return text.strip("/")


@require_safe
def lookup(request):
    """/id/: a form to check a label by its identifier; a known one redirects to its page."""
    typed = request.GET.get("identifier", "")
    example = {"example": f"{settings.LABEL_IDENTIFIER_PREFIX}/E2025-7K3M9QX2PAHD"}
    if not typed:
        return render(request, "certificates/lookup.html", example)
    identifier = typed_identifier(typed[:MAX_LENGTH * 2])
    if is_well_formed(identifier) and resolve(identifier) is not None:
        prefix, suffix = identifier.split("/", 1)
        return redirect(reverse("certificates:label_page", args=[prefix, suffix]))
    return render(request, "certificates/lookup.html", {**example, "typed": typed[:MAX_LENGTH], "unknown": True},
                  status=404)


@require_safe
def label_page(request, prefix: str, suffix: str):
    entry = resolve(f"{prefix}/{suffix}")
    if entry is None:
        return not_found(request)
    label = entry["data"]
    response = render(request, "certificates/label_page.html", {
        "label": label, "figures": label["figures"], "subject": label["subject"],
        "signature_valid": entry["signature_valid"], "key": entry["key"],
        "status_class": STATUS_CLASSES.get(label["status"], "bad"),
    })
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def certificate_pdf(request, prefix: str, suffix: str):
    """The certificate PDF of an active label; not served once suspended, revoked or expired (those
    allowed download it from the portal)."""
    document = public_certificate(f"{prefix}/{suffix}")
    if document is None:
        return not_found(request)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type,
                            filename=document.filename)
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    response["Cache-Control"] = "no-cache"
    return response
