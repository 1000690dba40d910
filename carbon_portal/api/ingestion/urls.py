"""/api/v1/ endpoints of data collection (docs/interfaces.md §4)."""

from django.urls import include, path

from carbon_portal.api.ingestion import activity, evidence, readings

patterns = [
    path("readings", readings.ReadingsApi.as_view(), name="readings"),
    path("meters", readings.MetersApi.as_view(), name="meters"),
    path("meters/<str:identifier>/readings", readings.MeterReadingsApi.as_view(), name="meter-readings"),
    path("meters/<str:identifier>/rollups", readings.MeterRollupsApi.as_view(), name="meter-rollups"),
    path("meters/<str:identifier>/issues", readings.MeterIssuesApi.as_view(), name="meter-issues"),
    path("inventories/<int:inventory_id>/evidence", evidence.EvidenceListApi.as_view(), name="evidence"),
    path("inventories/<int:inventory_id>/evidence/<int:draft_id>", evidence.EvidenceDetailApi.as_view(),
         name="evidence-detail"),
    path("inventories/<int:inventory_id>/evidence/<int:draft_id>/confirm", evidence.EvidenceConfirmApi.as_view(),
         name="evidence-confirm"),
    path("inventories/<int:inventory_id>/evidence/<int:draft_id>/discard", evidence.EvidenceDiscardApi.as_view(),
         name="evidence-discard"),
    path("evidence/<int:evidence_id>/pages/<int:page>", evidence.EvidencePageApi.as_view(), name="evidence-page"),
    path("inventories/<int:inventory_id>/meter-activity", activity.MeterActivityApi.as_view(),
         name="meter-activity"),
    path("imports", activity.ImportsApi.as_view(), name="imports"),
    path("imports/templates/<str:kind>.<str:extension>", activity.ImportTemplateApi.as_view(),
         name="import-template"),
]

urlpatterns = [path("", include((patterns, "ingestion_api")))]
