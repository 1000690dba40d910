"""One-time form tokens: a form that creates or moves something is submitted once.

The form carries a hidden field `form_token` (`{% form_token "purpose" %}`, templatetags/portal.py),
signed for its user and purpose. `run_once(request, purpose, action)` runs the view's work in one
transaction with the token recorded as used; when the work ends in a redirect (success) the token
keeps where it led. A second POST with the same token (a double click, the browser's retry after a
timeout, the back button) runs nothing and is redirected where the first one went. A POST that
failed (the form shown again with its errors) leaves the token unused. A POST without a token runs
as before.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.models import FormToken

FIELD = "form_token"
SALT = "carbon_portal.site.form_tokens"
MAX_AGE_SECONDS = 24 * 60 * 60


def issue(user, purpose: str) -> str:
    return signing.dumps({"u": user.pk, "p": purpose, "n": secrets.token_urlsafe(16)}, salt=SALT, compress=True)


def _valid(token: str, user, purpose: str) -> bool:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return data.get("u") == user.pk and data.get("p") == purpose


def run_once(request, purpose: str, action):
    """`action()` returns the view's response; see the module's docstring."""
    token = request.POST.get(FIELD, "")
    if not token or len(token) > 500 or not _valid(token, request.user, purpose):
        return action()
    digest = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = FormToken.objects.create(token=digest, user=request.user, purpose=purpose)
        except IntegrityError:  # used by an earlier POST (that one has committed: the unique index waited)
            earlier = FormToken.objects.filter(token=digest).first()
            messages.info(request, _("This form was already sent; it was not sent again."))
            return redirect(earlier.redirect_to if earlier and earlier.redirect_to else request.path)
        response = action()
        done = not getattr(response, "form_token_not_done", False)
        if done and response.status_code in (301, 302, 303) and response.get("Location"):
            record.used_at = timezone.now()
            record.redirect_to = response["Location"][:2000]
            record.save(update_fields=["used_at", "redirect_to"])
        else:
            record.delete()  # not done: the corrected form may be sent with the same token
        return response


def not_done(response):
    """Mark a redirect that did nothing (a refusal shown as a message): the token stays unused."""
    response.form_token_not_done = True
    return response


def purge_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(seconds=MAX_AGE_SECONDS)
    return FormToken.objects.filter(created_at__lt=cutoff).delete()[0]
