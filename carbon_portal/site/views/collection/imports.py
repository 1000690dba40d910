"""Spreadsheet imports: the upload form, the report, and the templates."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from carbon_portal.accounts.models import Enterprise, Role
from carbon_portal.core.errors import Conflict
from inventories.selectors import inventories_visible_to

from carbon_portal.api.ingestion.activity import template_response
from carbon_portal.site.forms.collection import ImportForm
from ingestion.imports.services import ImportRefused, import_activity, import_readings
from ingestion.models import ImportBatch


@login_required
def imports(request):
    inventories = list(inventories_visible_to(request.user).select_related("enterprise")[:50])
    enterprises = list(Enterprise.objects.filter(memberships__user=request.user,
                                                 memberships__role=Role.OFFICER).distinct())
    form = ImportForm(inventories=inventories)
    report, refused = None, None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, inventories=inventories)
        if form.is_valid():
            upload, data = form.cleaned_data["file"], form.cleaned_data
            try:
                if data["kind"] == "activity":
                    inventory = next(i for i in inventories if i.pk == data["inventory"])
                    report = import_activity(inventory=inventory, imported_by=request.user, data=upload.read(),
                                             filename=upload.name, all_or_nothing=data["all_or_nothing"])
                elif len(enterprises) == 1:
                    report = import_readings(enterprise=enterprises[0], imported_by=request.user,
                                             data=upload.read(), filename=upload.name)
                else:
                    raise PermissionDenied(_("Meter readings are imported by a carbon officer of one enterprise."))
            except ImportRefused as error:
                refused = error
            except (Conflict, PermissionDenied) as error:
                form.add_error(None, str(error))
    return render(request, "ingestion/imports.html", {
        "form": form, "report": report, "refused": refused,
        "batches": ImportBatch.objects.filter(enterprise__in=enterprises).select_related("inventory")[:20],
    })


@login_required
def template(request, kind, extension):
    return template_response(kind, extension)
