from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from carbon_portal.accounts.views import other_login_page
from carbon_portal.api.errors import UnknownPath

urlpatterns = [
    # Their own login pages would give a session on the password alone: the portal's two-step log-in.
    path("django-admin/login/", other_login_page, {"default_next": "/django-admin/"}),
    path("cms/login/", other_login_page, {"default_next": "/cms/"}),
    path("_util/login/", other_login_page, {"default_next": "/"}),  # Wagtail's front-end login
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("carbon_portal.accounts.urls")),
    path("api/v1/", include("carbon_portal.api.urls")),
    re_path(r"^api(?:/|$)", UnknownPath.as_view()),  # JSON 404 for any other /api/ path, never Wagtail's page
    path("portal/ingestion/", include("carbon_portal.site.urls.collection")),
    path("portal/government/", include("carbon_portal.site.urls.government")),
    path("portal/certificates/", include("carbon_portal.site.urls.certification")),
    path("portal/", include("carbon_portal.site.urls")),
    path("join/", include("carbon_portal.site.urls.joining")),  # applying to join, deciding on applications
    path("id/", include("carbon_portal.site.urls.labels")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path: the home page, methodology and help.
urlpatterns.append(path("", include(wagtail_urls)))

# The database away: 503 with Retry-After (JSON under /api/), not a 500 page (carbon_portal/core/outages.py).
handler500 = "carbon_portal.core.outages.server_error"
