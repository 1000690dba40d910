"""Portal pages of certification: labels, status changes, footprint inputs, downloads."""

from decimal import Decimal

import pytest

from certificates.models import Label, UpstreamInput
from inventories.models import InventoryProduct

from .factories import signed_in

pytestmark = pytest.mark.django_db


def test_officer_sees_own_labels_only(enterprise_label, users):
    assert enterprise_label.identifier in signed_in(users["officer_a"]).get("/portal/certificates/").content.decode()
    assert enterprise_label.identifier not in signed_in(users["officer_b"]).get("/portal/certificates/").content.decode()
    assert signed_in(users["officer_b"]).get(f"/portal/certificates/labels/{enterprise_label.pk}/").status_code == 404


def test_verifier_suspends_from_the_portal(enterprise_label, users):
    client = signed_in(users["verifier_1"])
    url = f"/portal/certificates/labels/{enterprise_label.pk}/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "suspend", "reason": "Complaint received"})
    assert Label.objects.get(pk=enterprise_label.pk).status == "suspended"
    assert signed_in(users["officer_a"]).post(url, {"action": "resume", "reason": "x"}).status_code == 403


def test_officer_enters_footprint_inputs_in_the_browser(inventory_a, users):
    product = InventoryProduct.objects.create(inventory=inventory_a, name="Tiles", declared_unit="m2",
                                              output=Decimal("100000"))
    client = signed_in(users["officer_a"])
    page = client.get(f"/portal/certificates/inventories/{inventory_a.pk}/")
    assert page.status_code == 200 and "Tiles" in page.content.decode()
    client.post(f"/portal/certificates/inventories/{inventory_a.pk}/inputs", {
        "product": product.pk, "description": "Glaze", "quantity": "20", "unit": "t", "source": "factor",
        "emission_factor": "1.2", "factor_source": "Supplier EPD 2025"})
    item = UpstreamInput.objects.get()
    assert (item.quantity, item.emission_factor, item.source) == (Decimal("20"), Decimal("1.2"), "factor")
    page = client.get(f"/portal/certificates/inventories/{inventory_a.pk}/").content.decode()
    assert "Supplier EPD 2025" in page
    assert signed_in(users["officer_b"]).get(f"/portal/certificates/inventories/{inventory_a.pk}/").status_code == 404


def test_inventory_page_says_what_stops_issuing(inventory_a, users):
    from .factories import set_status

    set_status(inventory_a, "verified")
    client = signed_in(users["admin"])
    page = client.get(f"/portal/certificates/inventories/{inventory_a.pk}/").content.decode()
    assert "尚无核查机构核查本清单" in page  # no engagement in this test
    assert client.post(f"/portal/certificates/inventories/{inventory_a.pk}/issue").status_code == 302
    assert not Label.objects.exists()
