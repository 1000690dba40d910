from django.urls import path

from . import double_counts, products
from . import views as api

urlpatterns = [
    path("inventories", api.InventoryListCreateApi.as_view(), name="inventory-list"),
    path("inventories/<int:pk>", api.InventoryDetailApi.as_view(), name="inventory-detail"),
    path("inventories/<int:pk>/activity", api.InventoryActivityApi.as_view(), name="inventory-activity"),
    path("inventories/<int:pk>/activity/<int:record_id>", api.ActivityRecordApi.as_view(),
         name="inventory-activity-record"),
    path("inventories/<int:pk>/products", products.InventoryProductListApi.as_view(), name="inventory-products"),
    path("inventories/<int:pk>/products/<int:entry_id>", products.InventoryProductDetailApi.as_view(),
         name="inventory-product"),
    path("inventories/<int:pk>/double-counts", double_counts.DoubleCountsApi.as_view(),
         name="inventory-double-counts"),
]
