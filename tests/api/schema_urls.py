"""The endpoints of workflows, inventories, master data and the token login under /api/v1/, for the schema test."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("carbon_portal.api.accounts.urls")),
    path("api/v1/", include("carbon_portal.api.inventories.urls")),
    path("api/v1/", include("carbon_portal.api.workflows.urls")),
    path("api/v1/", include("carbon_portal.api.master_data.urls")),
]
