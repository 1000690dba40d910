"""The products of an inventory's year on the inventory page (section "Products of this year"):
an officer lists a catalogue product with its output and value, changes them or takes the
product off while the inventory's products are open (until internal review); everyone who sees
the inventory reads them. Upstream inputs and the allocation are on the certification page.

Reads: `inventories.products` (the inventory found for the user by `workflows.selectors`);
writes: its services, run through `run_service`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carbon_portal.accounts.models import Role
from carbon_portal.core.errors import Conflict, InvalidInput
from certificates.selectors import upstream_inputs_of
from inventories import products
from inventories.policies import is_officer_of, products_refusal
from workflows.selectors import inventory_for

from .. import form_tokens
from ..forms.master_data import InventoryProductForm
from . import officer
from .common import found, role_required, run_service


def products_section(user, inventory, forms: dict) -> dict:
    """What the inventory page shows in its products section; `forms` may hold the refused
    `product_add` form."""
    entries = list(products.products_of(inventory))
    counts = {}
    for item in upstream_inputs_of(inventory):
        counts[item.product_id] = counts.get(item.product_id, 0) + 1
    editable = products.can_edit_products(user, inventory)
    add_form = None
    if editable:
        add_form = forms.get("product_add") or InventoryProductForm(products=products.addable_products(inventory))
    is_officer = is_officer_of(user, inventory.enterprise_id)
    return {
        "year_products": [{"entry": entry, "inputs": counts.get(entry.pk, 0)} for entry in entries],
        "products_editable": editable,
        "product_add_form": add_form,
        "products_frozen_reason": products_refusal(inventory) if is_officer and not editable else "",
        "catalogue_url": reverse("site:master_data") + "#products" if is_officer else "",
    }


def _to_section(inventory):
    return reverse("site:inventory_detail", args=[inventory.pk]) + "#products"


def _officer_inventory(request, pk):
    inventory = found(inventory_for, request.user, pk)
    if not is_officer_of(request.user, inventory.enterprise_id):
        raise PermissionDenied
    return inventory


@role_required(Role.OFFICER)
@require_POST
def inventory_product_add(request, pk):
    inventory = _officer_inventory(request, pk)
    form = InventoryProductForm(request.POST, products=products.addable_products(inventory))

    def add():
        if not form.is_valid():
            return officer.render_detail(request, inventory, forms={"product_add": form}, status=400)
        data = form.cleaned_data
        ok, entry, status = run_service(form, lambda: products.add_inventory_product(
            actor=request.user, inventory_id=inventory.pk, product=data["product"].pk, output=data["output"],
            value_10k_yuan=data["value_10k_yuan"]), invalid_field="product")
        if not ok:
            return officer.render_detail(request, inventory, forms={"product_add": form}, status=status)
        messages.success(request, _("Product %(name)s added to the inventory.") % {"name": entry.name})
        return redirect(_to_section(inventory))

    return form_tokens.run_once(request, f"inventory_product_add:{inventory.pk}", add)


@role_required(Role.OFFICER, Role.REVIEWER, Role.ADMIN)
@require_http_methods(["GET", "HEAD", "POST"])
def inventory_product_edit(request, pk, entry_id):
    inventory = found(inventory_for, request.user, pk)
    entry = found(products.inventory_product_of, inventory, entry_id)
    editable = products.can_edit_products(request.user, inventory)
    form = InventoryProductForm(request.POST or None, initial={"output": entry.output,
                                                                "value_10k_yuan": entry.value_10k_yuan})
    status = 200
    if request.method == "POST":
        if not is_officer_of(request.user, inventory.enterprise_id):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            ok, _entry, status = run_service(form, lambda: products.update_inventory_product(
                actor=request.user, inventory_id=inventory.pk, entry_id=entry.pk,
                changes={"output": form.cleaned_data["output"],
                         "value_10k_yuan": form.cleaned_data["value_10k_yuan"]}), invalid_field="output")
            if ok:
                messages.success(request, _("Changes saved."))
                return redirect(_to_section(inventory))
    return render(request, "site/inventories/product_form.html", {
        "inventory": inventory, "entry": entry, "form": form, "editable": editable,
        "frozen_reason": "" if editable else products_refusal(inventory),
        "inputs": upstream_inputs_of(inventory).filter(product=entry),
        "certification_url": reverse("certificates_portal:inventory", args=[inventory.pk]),
    }, status=status)


@role_required(Role.OFFICER)
@require_POST
def inventory_product_remove(request, pk, entry_id):
    inventory = _officer_inventory(request, pk)
    entry = found(products.inventory_product_of, inventory, entry_id)
    try:
        found(products.remove_inventory_product, actor=request.user, inventory_id=inventory.pk, entry_id=entry.pk)
    except (Conflict, InvalidInput) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Product %(name)s taken off the inventory.") % {"name": entry.name})
    return redirect(_to_section(inventory))
