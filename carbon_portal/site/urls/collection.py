"""/portal/ingestion/: invoices, meters and imports for people."""

from django.urls import path

from carbon_portal.site.views.collection import evidence, imports, invoices, meters, overview

app_name = "ingestion"

urlpatterns = [
    path("", overview.index, name="index"),
    path("inventories/<int:inventory_id>/", invoices.inventory, name="inventory"),
    path("inventories/<int:inventory_id>/meter-activity/", invoices.meter_activity, name="meter-activity"),
    path("inventories/<int:inventory_id>/invoices/<int:draft_id>/", invoices.invoice, name="invoice"),
    path("evidence/<int:evidence_id>/pages/<int:page>.png", evidence.page, name="evidence-page"),
    path("evidence/<int:evidence_id>/file", evidence.original, name="evidence-file"),
    path("meters/", meters.meters, name="meters"),
    path("meters/<str:identifier>/", meters.meter, name="meter"),
    path("meters/<str:identifier>/acknowledge/", meters.acknowledge, name="acknowledge"),
    path("imports/", imports.imports, name="imports"),
    path("templates/<str:kind>.<str:extension>", imports.template, name="template"),
]
