from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from inventories.selectors import inventories_visible_to, meters_visible_to

from ingestion.readings.selectors import meter_list


@login_required
def index(request):
    return render(request, "ingestion/index.html", {
        "inventories": inventories_visible_to(request.user).select_related("enterprise")[:50],
        "meters": meter_list(meters_visible_to(request.user))[:200],
    })
