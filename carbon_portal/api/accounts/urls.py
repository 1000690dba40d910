from django.urls import path

from . import views as api

urlpatterns = [
    path("auth/token", api.TokenLoginApi.as_view(), name="auth-token"),
]
