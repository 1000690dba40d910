from django.urls import path

from . import views as api

urlpatterns = [
    path("inventories", api.InventoryListCreateApi.as_view(), name="inventory-list"),
    path("inventories/<int:pk>", api.InventoryDetailApi.as_view(), name="inventory-detail"),
    path("inventories/<int:pk>/activity", api.InventoryActivityApi.as_view(), name="inventory-activity"),
    path("inventories/<int:pk>/activity/<int:record_id>", api.ActivityRecordApi.as_view(),
         name="inventory-activity-record"),
]
