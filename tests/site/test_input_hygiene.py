"""Portal forms refuse control characters in text and numbers in other scripts: a 400 page with
the error next to the field, and nothing stored."""

import pytest

from carbon_portal.site.forms import CheckedForm
from carbon_portal.site.forms.certification import StatusChangeForm, UpstreamInputForm
from inventories.models import ActivityRecord, Inventory

from .helpers import ELECTRICITY, enterprise_of, field_errors, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def activity_url(demo):
    inventory = Inventory.objects.filter(enterprise=enterprise_of("officer_a"), status="draft").first()
    return f"/portal/inventories/{inventory.pk}/activity/new/"


@pytest.mark.parametrize(("field", "value"), [("description", "Grid\u0001electricity"),
                                              ("description", "Grid\u000bpower"), ("unit", "kWh\u0000")])
def test_a_control_character_in_the_activity_form_is_a_400_with_the_error(people, activity_url, field, value):
    before = ActivityRecord.objects.count()
    response = post(people("officer_a"), activity_url, {**ELECTRICITY, field: value})
    assert response.status_code == 400
    errors = field_errors(response)
    assert "control character" in errors or "Null characters are not allowed" in errors, errors
    assert ActivityRecord.objects.count() == before


@pytest.mark.parametrize("quantity", ["１２３", "١٢٣", "1_000"])
def test_the_activity_form_takes_ascii_digits_only(people, activity_url, quantity):
    before = ActivityRecord.objects.count()
    response = post(people("officer_a"), activity_url, {**ELECTRICITY, "quantity": quantity})
    assert response.status_code == 400
    assert "Enter a number with the digits 0-9." in field_errors(response)
    assert ActivityRecord.objects.count() == before


def test_every_portal_form_checks_its_text_and_number_fields():
    form = StatusChangeForm({"action": "suspend", "reason": "two\nlines\u0002"})
    assert not form.is_valid() and "control character" in form.errors["reason"][0]
    assert StatusChangeForm({"action": "suspend", "reason": "two\nlines\tand a tab"}).is_valid()
    form = UpstreamInputForm({"description": "steel", "quantity": "１０", "unit": "t", "source": "supplier"},
                             products=Inventory.objects.none())
    assert not form.is_valid() and "digits 0-9" in form.errors["quantity"][0]
    assert issubclass(StatusChangeForm, CheckedForm)
