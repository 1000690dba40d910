"""/portal/certificates/ (include with namespace "certificates_portal")."""

from django.urls import path

from ..views import certification as views

app_name = "certificates_portal"

urlpatterns = [
    path("", views.label_list, name="labels"),
    path("labels/<int:pk>/", views.label_detail, name="label_detail"),
    path("inventories/<int:pk>/", views.inventory_certification, name="inventory"),
    path("inventories/<int:pk>/method", views.footprint_method, name="footprint_method"),
    path("inventories/<int:pk>/inputs", views.upstream_input_add, name="upstream_input_add"),
    path("inventories/<int:pk>/inputs/<int:input_pk>/remove", views.upstream_input_remove,
         name="upstream_input_remove"),
    path("inventories/<int:pk>/issue", views.reissue, name="issue"),
    path("inventories/<int:pk>/documents/retry", views.retry_documents, name="retry_documents"),
    path("documents/<int:pk>/download", views.document_download, name="document_download"),
]
