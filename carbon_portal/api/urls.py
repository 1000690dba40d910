"""/api/v1/: each app contributes its endpoints from its own `api_urls.py` (docs/interfaces.md §4)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from carbon_portal.api.errors import UnknownPath

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("carbon_portal.api.accounts.urls")),
    path("", include("carbon_portal.api.inventories.urls")),
    path("", include("carbon_portal.api.workflows.urls")),
    path("", include("carbon_portal.api.ingestion.urls")),
    path("", include("carbon_portal.api.certificates.urls")),
    path("", include("carbon_portal.api.master_data.urls")),
    # Last: any other path answers JSON 404 (and CommonMiddleware never redirects it to a slash).
    re_path(r"", UnknownPath.as_view(), name="unknown"),
]
