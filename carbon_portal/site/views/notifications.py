"""/portal/notifications/: the user's notices, each linking to the page where they act."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from carbon_portal.accounts.models import Role
from workflows import services
from carbon_portal.core.errors import NotFound
from workflows.selectors import notifications_for

from ..selectors import user_roles, verifier_engagements
from .common import safe_next

PAGE_SIZE = 50


@login_required
@require_safe
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notifications_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    roles = user_roles(request.user)
    verifier_only = Role.VERIFIER in roles and not roles & {Role.OFFICER, Role.REVIEWER, Role.ADMIN}
    workbenches = {}
    if verifier_only:
        inventory_ids = {notice.inventory_id for notice in page if notice.inventory_id}
        for engagement in verifier_engagements(request.user).filter(inventory_id__in=inventory_ids):
            workbenches.setdefault(engagement.inventory_id, reverse("site:workbench", args=[engagement.pk]))
    rows = []
    for notice in page:
        if not notice.inventory_id:
            url = ""
        elif verifier_only:
            url = workbenches.get(notice.inventory_id, "")
        else:
            url = reverse("site:inventory_detail", args=[notice.inventory_id])
        rows.append({"notice": notice, "url": url})
    return render(request, "site/notifications.html", {"page": page, "rows": rows, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request, pk):
    try:
        services.mark_notification_read(notification_id=pk, user=request.user)
    except NotFound:
        raise Http404 from None
    return redirect(safe_next(request, reverse("site:notifications")))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.mark_all_notifications_read(user=request.user)
    messages.success(request, _("%(count)s notices marked as read.") % {"count": count})
    return redirect("site:notifications")
