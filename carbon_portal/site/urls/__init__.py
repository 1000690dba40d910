"""/portal/: the role portals (namespace "site").

Government pages are under /portal/government/ (certificates), labels under
/portal/certificates/, evidence upload and confirmation under /portal/ingestion/.
"""

from django.urls import path

from .. import views
from ..views import master_data

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
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("review/", views.review_queue, name="review_queue"),
    # Master data: facilities, emission sources, meters and their device keys.
    path("master-data/", master_data.index, name="master_data"),
    path("master-data/facilities/new/", master_data.facility_create, name="master_data_facility_create"),
    path("master-data/facilities/<int:pk>/", master_data.facility_edit, name="master_data_facility"),
    path("master-data/sources/new/", master_data.source_create, name="master_data_source_create"),
    path("master-data/sources/<int:pk>/", master_data.source_edit, name="master_data_source"),
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
]
