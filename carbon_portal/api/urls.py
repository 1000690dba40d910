"""/api/v1/: each app contributes its endpoints from its own `api_urls.py` (CONTRACTS.md §4)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("carbon_portal.accounts.api_urls")),
    path("", include("inventories.api_urls")),
    path("", include("workflows.api_urls")),
    path("", include("ingestion.api_urls")),
    path("", include("certificates.api_urls")),
]
