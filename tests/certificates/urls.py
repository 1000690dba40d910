"""The root URLconf plus the certificates portal pages, until carbon_portal/urls.py includes them."""

from django.urls import include, path

from carbon_portal.urls import urlpatterns as root_urlpatterns

INCLUDED = {str(pattern.pattern) for pattern in root_urlpatterns}

urlpatterns = [
    *([path("portal/government/", include("certificates.government_urls"))]
      if "portal/government/" not in INCLUDED else []),
    *([path("portal/certificates/", include("certificates.portal_urls"))]
      if "portal/certificates/" not in INCLUDED else []),
    *root_urlpatterns,
]
