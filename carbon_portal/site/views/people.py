"""People pages (/portal/people/, /portal/organisations/).

- An enterprise administrator (Role.ENTERPRISE_ADMIN) sees their enterprise's people, invites
  officers, reviewers and enterprise administrators by e-mail, resends or revokes an invitation,
  deactivates and reactivates people, and reads who did what (the audit trail of the
  enterprise's inventories and the security log of its people).
- A platform administrator registers and edits verifier bodies (accreditation) and authorities
  (jurisdiction) and manages their people the same way (and any enterprise's).

Reads and writes: `carbon_portal.accounts.invitations`, `people`, `bodies`, run through
`run_service`; every write wants a fresh sign-in (as user administration does in the admin) and
carries the one-time form token. Another organisation's people or invitations: 404.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carbon_portal.accounts import bodies, invitations, people
from carbon_portal.accounts.models import Enterprise, Role
from carbon_portal.accounts.reauth import fresh_login_required
from carbon_portal.security.models import EventKind, SecurityEvent
from workflows.models import TransitionLog

from .. import form_tokens
from ..forms.people import ActionForm, AuthorityForm, InviteForm, VerifierBodyForm
from ..templatetags.portal import entity_label, step_label
from .common import found, role_required, run_service, safe_next

MANAGERS = (Role.ENTERPRISE_ADMIN, Role.ADMIN)
ACTIVITY_PAGE_SIZE = 25
ACTIVITY_MAX_PAGES = 200

ACTION_LABELS = {
    "invitation_sent": gettext_lazy("Invitation sent"),
    "invitation_resent": gettext_lazy("Invitation sent again"),
    "invitation_revoked": gettext_lazy("Invitation revoked"),
    "invitation_accepted": gettext_lazy("Invitation accepted"),
    "user_deactivated": gettext_lazy("Account deactivated"),
    "user_reactivated": gettext_lazy("Account reactivated"),
    "enrolment_code_issued": gettext_lazy("Enrolment code issued"),
    "verifier_body_registered": gettext_lazy("Verifier body registered"),
    "verifier_body_changed": gettext_lazy("Verifier body changed"),
    "authority_registered": gettext_lazy("Authority registered"),
    "authority_changed": gettext_lazy("Authority changed"),
}


def _manageable_enterprises(user):
    if invitations.is_platform_admin(user):
        return Enterprise.objects.order_by("name")
    return invitations.enterprises_administered_by(user).order_by("name")


def _enterprise(request, enterprise_id) -> Enterprise:
    enterprise = _manageable_enterprises(request.user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404(_("No such enterprise."))
    return enterprise


def _organisation_context(request, organisation, *, invite_url, invite_form=None) -> dict:
    return {
        "organisation": organisation,
        "members": people.members_of(organisation),
        "open_invitations": invitations.invitations_of(organisation),
        "invite_form": invite_form or InviteForm(roles=invitations.roles_for(organisation)),
        "invite_url": invite_url,
        "is_platform_admin": invitations.is_platform_admin(request.user),
        "back": request.get_full_path(),
    }


# --- An enterprise's people ------------------------------------------------------------------------


@role_required(*MANAGERS)
@require_safe
def people_index(request):
    """The administrator's enterprise (or the list, when there are several)."""
    enterprises = list(_manageable_enterprises(request.user))
    if len(enterprises) == 1:
        return redirect("site:enterprise_people", enterprise_id=enterprises[0].pk)
    return render(request, "site/people/choose.html", {"enterprises": enterprises})


def _people_page(request, enterprise, *, invite_form=None, status=200):
    context = _organisation_context(request, enterprise, invite_form=invite_form,
                                    invite_url=reverse("site:people_invite", args=[enterprise.pk]))
    context["activity"] = _activity(enterprise, 1, size=10)
    return render(request, "site/people/enterprise.html", context, status=status)


@role_required(*MANAGERS)
@require_safe
def enterprise_people(request, enterprise_id):
    return _people_page(request, _enterprise(request, enterprise_id))


@role_required(*MANAGERS)
@require_POST
@fresh_login_required
def people_invite(request, enterprise_id):
    enterprise = _enterprise(request, enterprise_id)
    return form_tokens.run_once(request, f"invite:enterprise:{enterprise.pk}", lambda: _invite(
        request, enterprise, back=reverse("site:enterprise_people", args=[enterprise.pk]),
        page=lambda form, status: _people_page(request, enterprise, invite_form=form, status=status)))


def _invite(request, organisation, *, back, page):
    form = InviteForm(request.POST, roles=invitations.roles_for(organisation))
    if not form.is_valid():
        return page(form, 400)
    ok, result, status = run_service(form, lambda: invitations.invite(
        actor=request.user, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
        organisation=organisation), invalid_field="email")
    if not ok:
        return page(form, status)
    invitation, code = result
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    if code:
        return _code_page(request, invitation=invitation, code=code, back=back)
    return redirect(back)


def _code_page(request, *, code, back, invitation=None, person=None):
    response = render(request, "site/people/code_issued.html",
                      {"invitation": invitation, "person": person, "code": code, "back": back})
    response["Cache-Control"] = "no-store"
    return response


@role_required(*MANAGERS)
@require_safe
def people_activity(request, enterprise_id):
    enterprise = _enterprise(request, enterprise_id)
    page = request.GET.get("page", "1")
    number = int(page) if page.isascii() and page.isdigit() and 0 < int(page) <= ACTIVITY_MAX_PAGES else 1
    return render(request, "site/people/activity.html",
                  {"organisation": enterprise, "activity": _activity(enterprise, number)})


# --- Acting on a person or an invitation (enterprise and platform administrators) -----------------------


def _person_action(request, user_id, purpose, call, done):
    back = safe_next(request, reverse("site:people"))

    def act():
        form = ActionForm(request.POST)
        form.is_valid()
        ok, result, _status = run_service(form, call)
        if not ok:
            messages.error(request, " ".join(str(error) for error in form.non_field_errors()))
            return form_tokens.not_done(redirect(back))
        return done(result, back)

    return form_tokens.run_once(request, f"{purpose}:{user_id}", act)


@role_required(*MANAGERS)
@require_POST
@fresh_login_required
def person_deactivate(request, user_id):
    found(people.manageable_user, request.user, user_id)

    def done(result, back):
        messages.success(request, _("%(name)s is deactivated: their sessions ended and their API tokens were "
                                    "deleted.") % {"name": result["user"]})
        return redirect(back)

    return _person_action(request, user_id, "deactivate",
                          lambda: people.deactivate(actor=request.user, user_id=user_id), done)


@role_required(*MANAGERS)
@require_POST
@fresh_login_required
def person_reactivate(request, user_id):
    found(people.manageable_user, request.user, user_id)

    def done(user, back):
        messages.success(request, _("%(name)s can log in again.") % {"name": user})
        return redirect(back)

    return _person_action(request, user_id, "reactivate",
                          lambda: people.reactivate(actor=request.user, user_id=user_id), done)


@role_required(Role.ADMIN)
@require_POST
@fresh_login_required
def person_enrolment_code(request, user_id):
    found(people.manageable_user, request.user, user_id)

    def done(result, back):
        code, user = result
        return _code_page(request, code=code, person=user, back=back)

    return _person_action(request, user_id, "enrolment_code",
                          lambda: people.issue_enrolment_code(actor=request.user, user_id=user_id), done)


@role_required(*MANAGERS)
@require_POST
@fresh_login_required
def invitation_resend(request, pk):
    found(invitations.invitation_for, request.user, pk)

    def done(result, back):
        invitation, code = result
        messages.success(request, _("A new link was sent to %(email)s; the earlier one no longer works.")
                         % {"email": invitation.email})
        return _code_page(request, invitation=invitation, code=code, back=back) if code else redirect(back)

    return _person_action(request, pk, "invitation_resend",
                          lambda: invitations.resend(actor=request.user, invitation_id=pk), done)


@role_required(*MANAGERS)
@require_POST
@fresh_login_required
def invitation_revoke(request, pk):
    found(invitations.invitation_for, request.user, pk)

    def done(invitation, back):
        messages.success(request, _("The invitation of %(email)s is revoked.") % {"email": invitation.email})
        return redirect(back)

    return _person_action(request, pk, "invitation_revoke",
                          lambda: invitations.revoke(actor=request.user, invitation_id=pk), done)


# --- Who did what ----------------------------------------------------------------------------------


@dataclass
class ActivityRow:
    when: Any
    who: str
    what: str
    about: str
    source: str  # "audit" or "security"


@dataclass
class ActivityPage:
    rows: list
    number: int
    has_previous: bool
    has_next: bool
    total: int


def _activity(enterprise, number: int, *, size: int = ACTIVITY_PAGE_SIZE) -> ActivityPage:
    """The newest actions first: the audit trail of the enterprise's inventories and the security
    log of its people, merged by time and paged."""
    audit = (TransitionLog.objects.filter(inventory__enterprise=enterprise)
             .select_related("actor", "inventory").order_by("-created_at", "-sequence"))
    events = (SecurityEvent.objects.filter(user__in=people.member_user_ids(enterprise))
              .select_related("user").order_by("-created_at", "-id"))
    upto = number * size
    rows = [_audit_row(entry) for entry in audit[:upto]] + [_event_row(event) for event in events[:upto]]
    rows.sort(key=lambda row: row.when, reverse=True)
    total = audit.count() + events.count()
    return ActivityPage(rows=rows[upto - size:upto], number=number, has_previous=number > 1,
                        has_next=upto < total and number < ACTIVITY_MAX_PAGES, total=total)


def _audit_row(entry) -> ActivityRow:
    inventory = entry.inventory
    about = _("Inventory %(year)s (#%(id)s)") % {"year": inventory.year, "id": inventory.pk}
    if entry.entity != "inventory":
        about = f"{about} · {entity_label(entry.entity)}"
    return ActivityRow(when=entry.created_at, who=str(entry.actor) if entry.actor_id else entry.actor_username,
                       what=str(step_label(entry.name)), about=about, source="audit")


def _event_row(event) -> ActivityRow:
    details = event.details if isinstance(event.details, dict) else {}
    action = details.get("action")
    what = str(ACTION_LABELS.get(action) or dict(EventKind.choices).get(event.kind, event.kind))
    if event.outcome != "success":
        what = f"{what} ({event.get_outcome_display()})"
    about = str(details.get("subject") or details.get("email") or "")
    return ActivityRow(when=event.created_at, who=str(event.user) if event.user_id else event.username,
                       what=what, about=about, source="security")


# --- Verifier bodies and authorities (platform administrators) ------------------------------------------


@role_required(Role.ADMIN)
@require_safe
def organisations(request):
    return render(request, "site/people/organisations.html", {
        "verifier_bodies": bodies.verifier_bodies_for(request.user),
        "authorities": bodies.authorities_for(request.user),
        "enterprises": Enterprise.objects.order_by("name"),
    })


def _body_initial(body) -> dict:
    return {"name": body.name, "name_en": body.name_en, "credit_code": body.credit_code,
            "accreditation_number": body.accreditation_number, "scope": list(body.scope.all()),
            "accredited_from": body.accredited_from, "accredited_until": body.accredited_until}


def _form_data(form, many: str) -> dict:
    data = dict(form.cleaned_data)
    data[many] = [industry.code for industry in data.get(many) or []]
    return data


@role_required(Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@fresh_login_required
def verifier_body_create(request):
    form = VerifierBodyForm(request.POST or None)

    def submit():
        if not form.is_valid():
            return _organisation_form(request, form, title=_("Register a verifier body"), status=400)
        ok, body, status = run_service(form, lambda: bodies.register_verifier_body(
            actor=request.user, **_form_data(form, "scope")), invalid_field=None)
        if not ok:
            return _organisation_form(request, form, title=_("Register a verifier body"), status=status)
        messages.success(request, _("Verifier body %(name)s registered; invite its verifiers.") % {"name": body.name})
        return redirect("site:verifier_body", pk=body.pk)

    if request.method == "POST":
        return form_tokens.run_once(request, "verifier_body_create", submit)
    return _organisation_form(request, form, title=_("Register a verifier body"))


def _organisation_form(request, form, *, title, status=200):
    purpose = "verifier_body_create" if isinstance(form, VerifierBodyForm) else "authority_create"
    return render(request, "site/people/organisation_form.html", {"form": form, "title": title, "purpose": purpose},
                  status=status)


def _body_page(request, body, *, form=None, invite_form=None, status=200):
    context = _organisation_context(request, body, invite_form=invite_form,
                                    invite_url=reverse("site:verifier_body_invite", args=[body.pk]))
    context |= {"form": form or VerifierBodyForm(initial=_body_initial(body)), "kind": "verifier_body",
                "edit_url": reverse("site:verifier_body", args=[body.pk])}
    return render(request, "site/people/organisation.html", context, status=status)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def verifier_body_detail(request, pk):
    body = found(bodies.verifier_body_for, request.user, pk)
    if request.method != "POST":
        return _body_page(request, body)
    return _fresh_post(request, lambda: _body_update(request, body))


def _fresh_post(request, call):
    return fresh_login_required(lambda request: call())(request)


def _body_update(request, body):
    form = VerifierBodyForm(request.POST)
    if not form.is_valid():
        return _body_page(request, body, form=form, status=400)
    ok, _changed, status = run_service(form, lambda: bodies.update_verifier_body(
        actor=request.user, verifier_body_id=body.pk, changes=_form_data(form, "scope")))
    if not ok:
        return _body_page(request, body, form=form, status=status)
    messages.success(request, _("Changes saved."))
    return redirect("site:verifier_body", pk=body.pk)


@role_required(Role.ADMIN)
@require_POST
@fresh_login_required
def verifier_body_invite(request, pk):
    body = found(bodies.verifier_body_for, request.user, pk)
    return form_tokens.run_once(request, f"invite:verifier_body:{body.pk}", lambda: _invite(
        request, body, back=reverse("site:verifier_body", args=[body.pk]),
        page=lambda form, status: _body_page(request, body, invite_form=form, status=status)))


def _authority_initial(authority) -> dict:
    return {"name": authority.name, "name_en": authority.name_en, "region_codes": list(authority.region_codes),
            "industries": list(authority.industries.all())}


@role_required(Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
@fresh_login_required
def authority_create(request):
    form = AuthorityForm(request.POST or None)

    def submit():
        if not form.is_valid():
            return _organisation_form(request, form, title=_("Register an authority"), status=400)
        ok, authority, status = run_service(form, lambda: bodies.register_authority(
            actor=request.user, **_form_data(form, "industries")), invalid_field="region_codes")
        if not ok:
            return _organisation_form(request, form, title=_("Register an authority"), status=status)
        messages.success(request, _("Authority %(name)s registered; invite its users.") % {"name": authority.name})
        return redirect("site:authority", pk=authority.pk)

    if request.method == "POST":
        return form_tokens.run_once(request, "authority_create", submit)
    return _organisation_form(request, form, title=_("Register an authority"))


def _authority_page(request, authority, *, form=None, invite_form=None, status=200):
    context = _organisation_context(request, authority, invite_form=invite_form,
                                    invite_url=reverse("site:authority_invite", args=[authority.pk]))
    context |= {"form": form or AuthorityForm(initial=_authority_initial(authority)), "kind": "authority",
                "edit_url": reverse("site:authority", args=[authority.pk])}
    return render(request, "site/people/organisation.html", context, status=status)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def authority_detail(request, pk):
    authority = found(bodies.authority_for, request.user, pk)
    if request.method != "POST":
        return _authority_page(request, authority)
    return _fresh_post(request, lambda: _authority_update(request, authority))


def _authority_update(request, authority):
    form = AuthorityForm(request.POST)
    if not form.is_valid():
        return _authority_page(request, authority, form=form, status=400)
    ok, _changed, status = run_service(form, lambda: bodies.update_authority(
        actor=request.user, authority_id=authority.pk, changes=_form_data(form, "industries")),
        invalid_field="region_codes")
    if not ok:
        return _authority_page(request, authority, form=form, status=status)
    messages.success(request, _("Changes saved."))
    return redirect("site:authority", pk=authority.pk)


@role_required(Role.ADMIN)
@require_POST
@fresh_login_required
def authority_invite(request, pk):
    authority = found(bodies.authority_for, request.user, pk)
    return form_tokens.run_once(request, f"invite:authority:{authority.pk}", lambda: _invite(
        request, authority, back=reverse("site:authority", args=[authority.pk]),
        page=lambda form, status: _authority_page(request, authority, invite_form=form, status=status)))
