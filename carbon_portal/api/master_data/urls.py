"""/api/v1/ endpoints of master data (docs/interfaces.md §7): facilities, sources, products, meters;
`meters` itself is in ../ingestion/urls.py."""

from django.urls import include, path

from carbon_portal.api.master_data import views

patterns = [
    path("facilities", views.FacilityListApi.as_view(), name="facilities"),
    path("facilities/<int:pk>", views.FacilityDetailApi.as_view(), name="facility"),
    path("sources", views.SourceListApi.as_view(), name="sources"),
    path("sources/<int:pk>", views.SourceDetailApi.as_view(), name="source"),
    path("products", views.ProductListApi.as_view(), name="products"),
    path("products/<int:pk>", views.ProductDetailApi.as_view(), name="product"),
    path("meters/<str:identifier>", views.MeterDetailApi.as_view(), name="meter"),
    path("meters/<str:identifier>/device-keys", views.DeviceKeyListApi.as_view(), name="device-keys"),
    path("meters/<str:identifier>/device-keys/<int:key_id>", views.DeviceKeyDetailApi.as_view(),
         name="device-key"),
]

urlpatterns = [path("", include((patterns, "master_data_api")))]
