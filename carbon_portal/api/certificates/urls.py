"""/api/v1/ endpoints of certificates (included by carbon_portal/api/urls.py)."""

from django.urls import path, re_path

from . import upstream_inputs
from . import views as api

urlpatterns = [
    path("keys", api.KeysApi.as_view(), name="keys"),
    path("labels/<str:prefix>/<str:suffix>", api.LabelDetailApi.as_view(), name="label_detail"),
    path("labels/<str:prefix>/<str:suffix>/<str:action>", api.LabelStatusApi.as_view(), name="label_status"),
    re_path(r"^labels/(?P<rest>.*)$", api.LabelNotFoundApi.as_view(), name="label_not_found"),
    path("documents", api.DocumentListApi.as_view(), name="documents"),
    path("documents/<int:pk>/download", api.DocumentDownloadApi.as_view(), name="document_download"),
    path("inventories/<int:pk>/upstream-inputs", upstream_inputs.UpstreamInputListApi.as_view(),
         name="upstream_inputs"),
    path("inventories/<int:pk>/upstream-inputs/<int:input_id>", upstream_inputs.UpstreamInputDetailApi.as_view(),
         name="upstream_input"),
]
