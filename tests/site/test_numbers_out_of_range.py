"""A number no database id can be, in a page's path, is a 404 like any unknown id (Django answers
an out-of-range integer lookup with no rows; the API's filters on foreign keys are checked in
tests/api/test_input_hygiene.py)."""

from tests.certificates.factories import signed_in

HUGE = "45099044398826947254157312"


def test_pages_answer_404_for_ids_beyond_64_bits(demo):
    from carbon_portal.accounts.models import User

    client = signed_in(User.objects.get(username="officer_a"))
    for path in (f"/portal/inventories/{HUGE}/", f"/portal/inventories/{HUGE}/activity/new/",
                 f"/portal/certificates/inventories/{HUGE}/", f"/portal/notifications/{HUGE}/read/"):
        assert client.get(path).status_code in (404, 405), path
