"""Joining (/join/): an enterprise applies without an account; the approvers (ENTERPRISE_APPROVAL_BY:
platform administrators, or also the government users of the enterprise's jurisdiction) see the
waiting applications and approve or reject them. Reads and writes:
`carbon_portal.accounts.applications`. Deciding wants a fresh sign-in (it creates an account and
grants roles, like the user administration)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carbon_portal.accounts import applications
from carbon_portal.accounts.models import ApplicationStatus, EnterpriseApplication
from carbon_portal.accounts.reauth import fresh_login_required
from carbon_portal.accounts.throttling import throttled_response
from carbon_portal.core import rate_limit
from carbon_portal.core.regions import region_name
from carbon_portal.security.addresses import client_address

from .. import form_tokens
from ..forms.joining import ApplicationForm, DecisionForm
from .common import found, run_service

APPLIED_SESSION_KEY = "joining_applied"
RECENTLY_DECIDED = 20


# --- Applying (no account) ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method != "POST":
        return _apply_page(request, form)
    wait = rate_limit.hit("join", client_address(request) or "unknown", settings.THROTTLE_LOGIN_RATE)
    if wait:
        return throttled_response(request, wait)
    if not form.is_valid():
        return _apply_page(request, form, status=400)
    data = form.cleaned_data
    just_sent = request.session.get(APPLIED_SESSION_KEY) or {}
    if just_sent.get("credit_code") == data["credit_code"] and \
            EnterpriseApplication.objects.filter(
                pk=just_sent.get("id"), status=ApplicationStatus.PENDING).exists():
        return redirect("joining:applied")  # sent twice (a double click, the back button): once is enough
    ok, application, status = run_service(form, lambda: applications.submit_application(
        name=data["name"], name_en=data["name_en"], credit_code=data["credit_code"], industry=data["industry"],
        region_code=data["region_code"], address=data["address"], contact_name=data["contact_name"],
        contact_email=data["contact_email"], contact_phone=data["contact_phone"], request=request),
        invalid_field="credit_code")
    if not ok:
        return _apply_page(request, form, status=status)
    request.session[APPLIED_SESSION_KEY] = {"id": application.pk, "credit_code": application.credit_code,
                                            "email": application.contact_email, "name": application.name}
    return redirect("joining:applied")


def _apply_page(request, form, status=200):
    return render(request, "site/joining/apply.html", {"form": form}, status=status)


@require_safe
def applied(request):
    sent = request.session.get(APPLIED_SESSION_KEY)
    if not sent:
        return redirect("joining:apply")
    return render(request, "site/joining/applied.html", {"sent": sent})


# --- Deciding (approvers) -------------------------------------------------------------------------


def approver_required(view):
    """Logged in and an approver of applications (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not applications.may_decide_applications(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _with_region(rows):
    for row in rows:
        row.region_label = region_name(row.region_code) or row.region_code
    return rows


@approver_required
@require_safe
def queue(request):
    rows = applications.applications_for(request.user)
    decided = rows.exclude(status=ApplicationStatus.PENDING).order_by("-decided_at", "-id")[:RECENTLY_DECIDED]
    return render(request, "site/joining/queue.html", {
        "pending": _with_region(list(rows.filter(status=ApplicationStatus.PENDING))),
        "decided": _with_region(list(decided)),
    })


def _detail_page(request, application, *, approve_form=None, reject_form=None, status=200):
    _with_region([application])
    approve_form = approve_form or DecisionForm(reject=False)
    reject_form = reject_form or DecisionForm()
    return render(request, "site/joining/detail.html", {
        "application": application,
        "approve_form": approve_form,
        "reject_form": reject_form,
        "decision_forms": (approve_form, reject_form),
        "pending": application.status == ApplicationStatus.PENDING,
    }, status=status)


@approver_required
@require_safe
def detail(request, pk):
    return _detail_page(request, found(applications.application_for, request.user, pk))


@approver_required
@fresh_login_required
@require_POST
def approve(request, pk):
    application = found(applications.application_for, request.user, pk)

    def action():
        form = DecisionForm(request.POST, reject=False)
        form.is_valid()
        ok, approved, status = run_service(form, lambda: applications.approve_application(
            actor=request.user, application_id=application.pk, request=request))
        if not ok:
            return _detail_page(request, application, approve_form=form, status=status)
        names = {"name": approved.name, "user": approved.applicant.get_username()}
        if approved.applicant.has_usable_password():
            messages.success(request, _("%(name)s is approved: the enterprise is registered, and %(user)s, who "
                                        "already had an account, is its administrator.") % names)
        else:
            messages.success(request, _("%(name)s is approved: the enterprise is registered, and %(user)s, its "
                                        "administrator, was sent a link to set a password.") % names)
        return redirect("joining:queue")

    return form_tokens.run_once(request, f"application:{application.pk}", action)


@approver_required
@fresh_login_required
@require_POST
def reject(request, pk):
    application = found(applications.application_for, request.user, pk)

    def action():
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return _detail_page(request, application, reject_form=form, status=400)
        ok, rejected, status = run_service(form, lambda: applications.reject_application(
            actor=request.user, application_id=application.pk, reason=form.cleaned_data["reason"],
            request=request), invalid_field="reason")
        if not ok:
            return _detail_page(request, application, reject_form=form, status=status)
        messages.success(request, _("The application of %(name)s is rejected; the applicant was sent the reason.")
                         % {"name": rejected.name})
        return redirect("joining:queue")

    return form_tokens.run_once(request, f"application:{application.pk}", action)
