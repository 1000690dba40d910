"""Meters, their roll-ups and their data-quality issues, for the officer."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inventories.selectors import meters_visible_to

from ingestion.readings import selectors
from ingestion.readings.quality import acknowledge_issues


@login_required
def meters(request):
    return render(request, "ingestion/meters.html", {"meters": selectors.meter_list(meters_visible_to(request.user))})


@login_required
def meter(request, identifier):
    meter = selectors.meter_for_viewer(request.user, identifier)
    if meter is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "ingestion/meter.html", {
        "meter": meter,
        "issues": selectors.quality_issues(meter)[:200],
        "days": selectors.daily_rollups(meter, start=today - datetime.timedelta(days=31), end=today),
        "months": selectors.monthly_rollups(meter),
        "last_reading_at": selectors.last_reading_at(meter),
        "can_acknowledge": selectors.meters_writable_by(request.user).filter(pk=meter.pk).exists(),
    })


@login_required
@require_POST
def acknowledge(request, identifier):
    meter = selectors.meter_for_viewer(request.user, identifier)
    if meter is None:
        raise Http404
    try:
        count = acknowledge_issues(meter=meter, issue_ids=request.POST.getlist("issue"), acknowledged_by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d issues acknowledged.") % {"count": count})
    return redirect("ingestion:meter", meter.identifier)
