from django.urls import path

from . import views as api

urlpatterns = [
    path("inventories/<int:pk>/transitions/<str:name>", api.InventoryTransitionApi.as_view(),
         name="inventory-transition"),
    path("inventories/<int:pk>/history", api.InventoryHistoryApi.as_view(), name="inventory-history"),
    path("inventories/<int:pk>/verifier-bodies", api.InventoryVerifierBodiesApi.as_view(),
         name="inventory-verifier-bodies"),
    path("inventories/<int:pk>/verifier", api.InventoryVerifierApi.as_view(), name="inventory-verifier"),
    path("engagements", api.EngagementListApi.as_view(), name="engagement-list"),
    path("engagements/<int:pk>", api.EngagementDetailApi.as_view(), name="engagement-detail"),
    path("engagements/<int:pk>/samples", api.EngagementSamplesApi.as_view(), name="engagement-samples"),
    path("engagements/<int:pk>/samples/<int:sample_id>/check", api.SampleCheckApi.as_view(),
         name="engagement-sample-check"),
    path("engagements/<int:pk>/findings", api.EngagementFindingsApi.as_view(), name="engagement-findings"),
    path("engagements/<int:pk>/opinion", api.EngagementOpinionApi.as_view(), name="engagement-opinion"),
    path("findings", api.FindingListApi.as_view(), name="finding-list"),
    path("findings/<int:pk>", api.FindingDetailApi.as_view(), name="finding-detail"),
    path("findings/<int:pk>/respond", api.FindingRespondApi.as_view(), name="finding-respond"),
    path("findings/<int:pk>/close", api.FindingCloseApi.as_view(), name="finding-close"),
    path("findings/<int:pk>/reopen", api.FindingReopenApi.as_view(), name="finding-reopen"),
    path("notifications", api.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/<int:pk>/read", api.NotificationReadApi.as_view(), name="notification-read"),
    path("audit/verify", api.AuditVerifyApi.as_view(), name="audit-verify"),
]
