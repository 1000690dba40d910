"""/portal/government/ (include with namespace "government")."""

from django.urls import path

from ..views import government as views

app_name = "government"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("baselines/", views.baselines, name="baselines"),
]
