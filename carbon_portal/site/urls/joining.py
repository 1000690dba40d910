"""/join/: applying to join (no account) and deciding on applications (namespace "joining")."""

from django.urls import path

from ..views import joining

app_name = "joining"

urlpatterns = [
    path("", joining.apply, name="apply"),
    path("sent/", joining.applied, name="applied"),
    path("applications/", joining.queue, name="queue"),
    path("applications/<int:pk>/", joining.detail, name="detail"),
    path("applications/<int:pk>/approve/", joining.approve, name="approve"),
    path("applications/<int:pk>/reject/", joining.reject, name="reject"),
]
