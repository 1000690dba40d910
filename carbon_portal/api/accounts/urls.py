from django.urls import path

from . import views as api

urlpatterns = [
    path("auth/token", api.TokenLoginApi.as_view(), name="auth-token"),
    path("auth/tokens", api.TokenListApi.as_view(), name="auth-tokens"),
    path("auth/tokens/<str:token_id>", api.TokenRevokeApi.as_view(), name="auth-token-revoke"),
    path("auth/logout", api.LogoutApi.as_view(), name="auth-logout"),
    path("auth/logout-all", api.LogoutAllApi.as_view(), name="auth-logout-all"),
]
