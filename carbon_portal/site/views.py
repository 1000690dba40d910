from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from inventories.selectors import inventories_visible_to


@login_required
def dashboard(request):
    inventories = inventories_visible_to(request.user).select_related("enterprise")[:50]
    return render(request, "site/dashboard.html", {"inventories": inventories})
