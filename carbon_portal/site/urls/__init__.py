"""/portal/: the role portals (namespace "site").

Government pages are under /portal/government/ (certificates), labels under
/portal/certificates/, evidence upload and confirmation under /portal/ingestion/.
"""

from django.urls import path

from .. import views
from ..views import double_counts, master_data, people, products

app_name = "site"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    # Enterprise: officer and reviewer.
    path("inventories/", views.inventory_list, name="inventory_list"),
    path("inventories/new/", views.inventory_create, name="inventory_create"),
    path("inventories/<int:pk>/", views.inventory_detail, name="inventory_detail"),
    path("inventories/<int:pk>/activity/new/", views.activity_add, name="activity_add"),
    path("inventories/<int:pk>/activity/<int:record_id>/", views.activity_edit, name="activity_edit"),
    path("inventories/<int:pk>/activity/<int:record_id>/remove/", views.activity_remove, name="activity_remove"),
    path("inventories/<int:pk>/transitions/<str:name>/", views.inventory_transition, name="inventory_transition"),
    path("inventories/<int:pk>/verifier/", views.choose_verifier, name="choose_verifier"),
    path("inventories/<int:pk>/double-counts/", double_counts.double_counts, name="double_counts"),
    path("inventories/<int:pk>/double-counts/<slug:key>/", double_counts.double_count_group,
         name="double_count_group"),
    path("inventories/<int:pk>/products/", products.inventory_product_add, name="inventory_product_add"),
    path("inventories/<int:pk>/products/<int:entry_id>/", products.inventory_product_edit, name="inventory_product"),
    path("inventories/<int:pk>/products/<int:entry_id>/remove/", products.inventory_product_remove,
         name="inventory_product_remove"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("review/", views.review_queue, name="review_queue"),
    # Master data: facilities, emission sources, meters and their device keys.
    path("master-data/", master_data.index, name="master_data"),
    path("master-data/facilities/new/", master_data.facility_create, name="master_data_facility_create"),
    path("master-data/facilities/<int:pk>/", master_data.facility_edit, name="master_data_facility"),
    path("master-data/sources/new/", master_data.source_create, name="master_data_source_create"),
    path("master-data/sources/<int:pk>/", master_data.source_edit, name="master_data_source"),
    path("master-data/products/new/", master_data.product_create, name="master_data_product_create"),
    path("master-data/products/<int:pk>/", master_data.product_edit, name="master_data_product"),
    path("master-data/meters/new/", master_data.meter_create, name="master_data_meter_create"),
    path("master-data/meters/<str:identifier>/", master_data.meter_edit, name="master_data_meter"),
    path("master-data/meters/<str:identifier>/device-keys/", master_data.device_key_issue,
         name="master_data_device_key_issue"),
    path("master-data/meters/<str:identifier>/device-keys/<int:key_id>/revoke/", master_data.device_key_revoke,
         name="master_data_device_key_revoke"),
    # Verifier.
    path("verification/", views.engagement_list, name="engagement_list"),
    path("verification/<int:pk>/", views.workbench, name="workbench"),
    path("verification/<int:pk>/records/<int:record_id>/", views.record_evidence, name="record_evidence"),
    path("verification/<int:pk>/transitions/<str:name>/", views.engagement_transition,
         name="engagement_transition"),
    path("verification/<int:pk>/samples/", views.sample, name="sample"),
    path("verification/<int:pk>/samples/<int:sample_id>/check/", views.sample_check, name="sample_check"),
    path("verification/<int:pk>/findings/", views.finding_raise, name="finding_raise"),
    path("verification/<int:pk>/opinion/", views.opinion, name="opinion"),
    path("verification/findings/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("verification/findings/<int:pk>/reopen/", views.finding_reopen, name="finding_reopen"),
    # People: an enterprise's (enterprise administrators), verifier bodies' and authorities' (platform administrators).
    path("people/", people.people_index, name="people"),
    path("people/<int:enterprise_id>/", people.enterprise_people, name="enterprise_people"),
    path("people/<int:enterprise_id>/invite/", people.people_invite, name="people_invite"),
    path("people/<int:enterprise_id>/activity/", people.people_activity, name="people_activity"),
    path("people/members/<int:user_id>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("people/members/<int:user_id>/reactivate/", people.person_reactivate, name="person_reactivate"),
    path("people/members/<int:user_id>/enrolment-code/", people.person_enrolment_code,
         name="person_enrolment_code"),
    path("people/invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
    path("people/invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation_revoke"),
    path("organisations/", people.organisations, name="organisations"),
    path("organisations/verifier-bodies/new/", people.verifier_body_create, name="verifier_body_create"),
    path("organisations/verifier-bodies/<int:pk>/", people.verifier_body_detail, name="verifier_body"),
    path("organisations/verifier-bodies/<int:pk>/invite/", people.verifier_body_invite, name="verifier_body_invite"),
    path("organisations/authorities/new/", people.authority_create, name="authority_create"),
    path("organisations/authorities/<int:pk>/", people.authority_detail, name="authority"),
    path("organisations/authorities/<int:pk>/invite/", people.authority_invite, name="authority_invite"),
]
