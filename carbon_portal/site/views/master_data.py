"""Master data pages (/portal/master-data/): an enterprise's facilities, emission sources and
meters, and a meter's device keys. Officers create and change them; reviewers and
administrators read. Reads: `inventories.master_data` selectors (scoped to the user); writes:
its services and `ingestion.device_key_services`, run through `run_service`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carbon_portal.accounts.models import Role
from ingestion.device_key_services import device_keys_of, issue_device_key, revoke_device_key
from inventories import master_data, products

from ..forms.master_data import DeviceKeyForm, FacilityForm, MeterForm, ProductForm, SourceForm
from .common import found, role_required, run_service

READERS = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)


def _writable(user):
    return master_data.enterprises_writable_by(user)


@role_required(*READERS)
@require_safe
def index(request):
    return render(request, "site/master_data/index.html", {
        "facilities": master_data.facilities_visible_to(request.user),
        "sources": master_data.sources_visible_to(request.user),
        "meters": master_data.master_meters_visible_to(request.user).select_related("parent", "facility",
                                                                                       "emission_source__facility"),
        "products": products.products_visible_to(request.user),
        "can_write": _writable(request.user).exists(),
    })


def _form_page(request, form, *, title, status=200, can_write=True):
    return render(request, "site/master_data/form.html", {"form": form, "title": title, "can_write": can_write},
                  status=status)


def _submit(request, form, call, *, title, done, to, can_write=True):
    """The form page; on a valid POST, `call(cleaned_data)` through `run_service`, then the
    message `done(obj)` and a redirect to `to(obj)`; a refusal shows on the form."""
    if request.method == "POST" and form.is_valid():
        ok, obj, status = run_service(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, done(obj))
            return redirect(to(obj))
        return _form_page(request, form, title=title, status=status)
    return _form_page(request, form, title=title, status=400 if form.is_bound else 200, can_write=can_write)


def _saved(_obj):
    return _("Changes saved.")


def _to_index(_obj):
    return reverse("site:master_data")


# --- Facilities ------------------------------------------------------------------------------------


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def facility_create(request):
    form = FacilityForm(request.POST or None, enterprises=_writable(request.user))
    return _submit(request, form, lambda data: master_data.create_facility(actor=request.user, **data),
                   title=_("New facility"), to=_to_index,
                   done=lambda facility: _("Facility %(name)s registered.") % {"name": facility.name})


@role_required(*READERS)
@require_http_methods(["GET", "HEAD", "POST"])
def facility_edit(request, pk):
    facility = found(master_data.facility_for, request.user, pk)
    form = FacilityForm(request.POST or None, initial={"name": facility.name, "address": facility.address,
                                                       "boundary": facility.boundary})
    return _submit(request, form,
                   lambda data: master_data.update_facility(actor=request.user, facility_id=facility.pk, changes=data),
                   title=_("Facility %(name)s") % {"name": facility.name}, done=_saved, to=_to_index,
                   can_write=master_data.can_write(request.user, facility.enterprise_id))


# --- Emission sources ------------------------------------------------------------------------------


def _writable_facilities(user):
    return master_data.facilities_visible_to(user).filter(enterprise__in=_writable(user))


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def source_create(request):
    form = SourceForm(request.POST or None, facilities=_writable_facilities(request.user))
    return _submit(request, form, lambda data: master_data.create_source(actor=request.user, **data),
                   title=_("New emission source"), to=_to_index,
                   done=lambda source: _("Emission source %(name)s registered.") % {"name": source.name})


@role_required(*READERS)
@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request, pk):
    source = found(master_data.source_for, request.user, pk)
    initial = {"facility": source.facility_id, "name": source.name, "category": source.category, "fuel": source.fuel}
    facilities = master_data.facilities_visible_to(request.user).filter(enterprise_id=source.facility.enterprise_id)
    form = SourceForm(request.POST or None, initial=initial, facilities=facilities)
    return _submit(request, form,
                   lambda data: master_data.update_source(actor=request.user, source_id=source.pk, changes=data),
                   title=_("Emission source %(name)s") % {"name": source.name}, done=_saved, to=_to_index,
                   can_write=master_data.can_write(request.user, source.facility.enterprise_id))


# --- Products (the catalogue) -----------------------------------------------------------------------


def _to_products(_obj):
    return reverse("site:master_data") + "#products"


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def product_create(request):
    form = ProductForm(request.POST or None, enterprises=_writable(request.user))
    return _submit(request, form, lambda data: products.create_product(actor=request.user, **data),
                   title=_("New product"), to=_to_products,
                   done=lambda product: _("Product %(name)s registered. Add it to an inventory with the output of "
                                          "the year.") % {"name": product.name})


@role_required(*READERS)
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request, pk):
    product = found(products.product_for, request.user, pk)
    initial = {name: getattr(product, name) for name in ("name", "code", "declared_unit", "description", "is_active")}
    form = ProductForm(request.POST or None, initial=initial)
    return _submit(request, form,
                   lambda data: products.update_product(actor=request.user, product_id=product.pk, changes=data),
                   title=_("Product %(name)s") % {"name": product.name}, done=_saved, to=_to_products,
                   can_write=master_data.can_write(request.user, product.enterprise_id))


# --- Meters and their device keys --------------------------------------------------------------------


def _to_meter(meter):
    return reverse("site:master_data_meter", args=[meter.identifier])


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def meter_create(request):
    user = request.user
    form = MeterForm(request.POST or None, enterprises=_writable(user), facilities=_writable_facilities(user),
                     sources=master_data.sources_visible_to(user).filter(facility__enterprise__in=_writable(user)),
                     meters=master_data.master_meters_visible_to(user).filter(enterprise__in=_writable(user)))
    return _submit(request, form, lambda data: master_data.create_meter(actor=user, **data),
                   title=_("New meter"), to=_to_meter,
                   done=lambda meter: _("Meter %(identifier)s registered. Issue a device key for the device that "
                                        "sends its readings.") % {"identifier": meter.identifier})


def _meter_page(request, meter, *, form=None, key_form=None, status=200):
    user = request.user
    can_write = master_data.can_write(user, meter.enterprise_id)
    if form is None:
        initial = {name: getattr(meter, name) for name in
                   ("name", "energy_type", "unit", "reading_kind", "register_max", "is_active")}
        initial |= {"facility": meter.facility_id, "emission_source": meter.emission_source_id,
                    "parent": meter.parent_id}
        form = MeterForm(initial=initial, **_meter_choices(user, meter))
    return render(request, "site/master_data/meter.html", {
        "meter": meter, "form": form, "key_form": key_form or DeviceKeyForm(), "can_write": can_write,
        "device_keys": device_keys_of(meter),
    }, status=status)


def _meter_choices(user, meter):
    return {"facilities": master_data.facilities_visible_to(user).filter(enterprise_id=meter.enterprise_id),
            "sources": master_data.sources_visible_to(user).filter(facility__enterprise_id=meter.enterprise_id),
            "meters": master_data.master_meters_visible_to(user).filter(enterprise_id=meter.enterprise_id)
            .exclude(pk=meter.pk)}


@role_required(*READERS)
@require_http_methods(["GET", "HEAD", "POST"])
def meter_edit(request, identifier):
    meter = found(master_data.meter_for, request.user, identifier)
    if request.method != "POST":
        return _meter_page(request, meter)
    form = MeterForm(request.POST, **_meter_choices(request.user, meter))
    if not form.is_valid():
        return _meter_page(request, meter, form=form, status=400)
    ok, changed, status = run_service(form, lambda: master_data.update_meter(
        actor=request.user, identifier=meter.identifier, changes=form.cleaned_data))
    if not ok:
        return _meter_page(request, meter, form=form, status=status)
    messages.success(request, _saved(changed))
    return redirect(_to_meter(changed))


@role_required(Role.OFFICER)
@require_POST
def device_key_issue(request, identifier):
    meter = found(master_data.meter_for, request.user, identifier)
    form = DeviceKeyForm(request.POST)
    if not form.is_valid():
        return _meter_page(request, meter, key_form=form, status=400)
    ok, issued, status = run_service(form, lambda: issue_device_key(
        actor=request.user, meter_identifier=meter.identifier, name=form.cleaned_data["name"]))
    if not ok:
        return _meter_page(request, meter, key_form=form, status=status)
    device_key, key = issued
    response = render(request, "site/master_data/key_issued.html",
                      {"meter": meter, "device_key": device_key, "key": key})
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.OFFICER)
@require_POST
def device_key_revoke(request, identifier, key_id):
    meter = found(master_data.meter_for, request.user, identifier)
    device_key = found(revoke_device_key, actor=request.user, meter_identifier=meter.identifier, key_id=key_id)
    messages.success(request, _("Device key %(name)s revoked: it is refused from now on.") % {"name": device_key.name})
    return redirect("site:master_data_meter", identifier=meter.identifier)
