"""/id/: public resolution of labels by identifier (prefix/suffix)."""

from django.urls import path, re_path

from ..views import labels as views

app_name = "certificates"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:prefix>/<str:suffix>", views.label_page, name="label_page"),
    path("<str:prefix>/<str:suffix>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]
