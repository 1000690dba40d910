"""Facilities, emission sources, a meter's detail and change, and a meter's device keys
(docs/interfaces.md §7). `GET/POST /api/v1/meters` is `carbon_portal.api.ingestion.readings.MetersApi`.
Thin views: reads through `inventories.master_data` selectors scoped to the user, writes through
its services and `ingestion.device_key_services`; refusals are raised, the API's handler answers them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.errors import errors
from carbon_portal.api.ingestion.readings import meter_answer
from carbon_portal.api.master_data import serializers as s
from ingestion.device_key_services import device_keys_of, issue_device_key, revoke_device_key
from inventories import master_data, products


def _valid(serializer_class, request, *, partial=False) -> dict:
    payload = serializer_class(data=request.data, partial=partial)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _data(serializer_class, obj) -> dict:
    return serializer_class(obj).data


class FacilityListApi(APIView):
    @extend_schema(operation_id="facilities_list", responses={200: inline_serializer(
        "FacilityList", {"facilities": s.FacilitySerializer(many=True)}), **errors(401, 403)})
    def get(self, request):
        rows = master_data.facilities_visible_to(request.user)
        return Response({"facilities": s.FacilitySerializer(rows, many=True).data})

    @extend_schema(operation_id="facilities_create", request=s.FacilityInSerializer,
                   responses={201: s.FacilitySerializer, **errors(400, 401, 403)})
    def post(self, request):
        data = _valid(s.FacilityInSerializer, request)
        facility = master_data.create_facility(actor=request.user, name=data["name"],
                                               address=data.get("address", ""), boundary=data.get("boundary", ""),
                                               enterprise=data.get("enterprise"))
        return Response(_data(s.FacilitySerializer, facility), status=status.HTTP_201_CREATED)


class FacilityDetailApi(APIView):
    @extend_schema(operation_id="facilities_retrieve", responses={200: s.FacilitySerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(_data(s.FacilitySerializer, master_data.facility_for(request.user, pk)))

    @extend_schema(operation_id="facilities_update", request=s.FacilityInSerializer,
                   responses={200: s.FacilitySerializer, **errors(400, 401, 403, 404)})
    def patch(self, request, pk: int):
        changes = _valid(s.FacilityInSerializer, request, partial=True)
        changes.pop("enterprise", None)
        facility = master_data.update_facility(actor=request.user, facility_id=pk, changes=changes)
        return Response(_data(s.FacilitySerializer, facility))


class SourceListApi(APIView):
    @extend_schema(operation_id="sources_list", responses={200: inline_serializer(
        "SourceList", {"sources": s.SourceSerializer(many=True)}), **errors(401, 403)})
    def get(self, request):
        rows = master_data.sources_visible_to(request.user)
        return Response({"sources": s.SourceSerializer(rows, many=True).data})

    @extend_schema(operation_id="sources_create", request=s.SourceInSerializer,
                   responses={201: s.SourceSerializer, **errors(400, 401, 403)})
    def post(self, request):
        data = _valid(s.SourceInSerializer, request)
        source = master_data.create_source(actor=request.user, facility=data["facility"], name=data["name"],
                                           category=data["category"], fuel=data.get("fuel", ""))
        return Response(_data(s.SourceSerializer, source), status=status.HTTP_201_CREATED)


class SourceDetailApi(APIView):
    @extend_schema(operation_id="sources_retrieve", responses={200: s.SourceSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(_data(s.SourceSerializer, master_data.source_for(request.user, pk)))

    @extend_schema(operation_id="sources_update", request=s.SourceInSerializer,
                   responses={200: s.SourceSerializer, **errors(400, 401, 403, 404)})
    def patch(self, request, pk: int):
        changes = _valid(s.SourceInSerializer, request, partial=True)
        source = master_data.update_source(actor=request.user, source_id=pk, changes=changes)
        return Response(_data(s.SourceSerializer, source))


class ProductListApi(APIView):
    @extend_schema(operation_id="products_list", responses={200: inline_serializer(
        "ProductList", {"products": s.ProductSerializer(many=True)}), **errors(401, 403)})
    def get(self, request):
        rows = products.products_visible_to(request.user)
        return Response({"products": s.ProductSerializer(rows, many=True).data})

    @extend_schema(operation_id="products_create", request=s.ProductInSerializer,
                   responses={201: s.ProductSerializer, **errors(400, 401, 403)})
    def post(self, request):
        data = _valid(s.ProductInSerializer, request)
        product = products.create_product(actor=request.user, name=data["name"], code=data.get("code", ""),
                                          declared_unit=data["declared_unit"],
                                          description=data.get("description", ""),
                                          is_active=data.get("is_active", True), enterprise=data.get("enterprise"))
        return Response(_data(s.ProductSerializer, product), status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    @extend_schema(operation_id="products_retrieve", responses={200: s.ProductSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(_data(s.ProductSerializer, products.product_for(request.user, pk)))

    @extend_schema(operation_id="products_update", request=s.ProductInSerializer,
                   responses={200: s.ProductSerializer, **errors(400, 401, 403, 404)},
                   description="Inventories that list the product keep the name and declared unit they took.")
    def patch(self, request, pk: int):
        changes = _valid(s.ProductInSerializer, request, partial=True)
        changes.pop("enterprise", None)
        product = products.update_product(actor=request.user, product_id=pk, changes=changes)
        return Response(_data(s.ProductSerializer, product))


class MeterDetailApi(APIView):
    @extend_schema(operation_id="meters_retrieve", responses={200: OpenApiTypes.OBJECT, **errors(401, 403, 404)})
    def get(self, request, identifier: str):
        return Response(meter_answer(master_data.meter_for(request.user, identifier)))

    @extend_schema(operation_id="meters_update", request=s.MeterPatchSerializer,
                   responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 404)})
    def patch(self, request, identifier: str):
        changes = _valid(s.MeterPatchSerializer, request, partial=True)
        if "identifier" in request.data:
            changes["identifier"] = request.data["identifier"]
        meter = master_data.update_meter(actor=request.user, identifier=identifier, changes=changes)
        return Response(meter_answer(meter))


class DeviceKeyListApi(APIView):
    @extend_schema(operation_id="device_keys_list", responses={200: inline_serializer(
        "DeviceKeyList", {"device_keys": s.DeviceKeySerializer(many=True)}), **errors(401, 403, 404)})
    def get(self, request, identifier: str):
        meter = master_data.meter_for(request.user, identifier)
        return Response({"meter": meter.identifier,
                         "device_keys": s.DeviceKeySerializer(device_keys_of(meter), many=True).data})

    @extend_schema(operation_id="device_keys_create", request=s.DeviceKeyInSerializer,
                   responses={201: s.IssuedDeviceKeySerializer, **errors(400, 401, 403, 404)})
    def post(self, request, identifier: str):
        data = _valid(s.DeviceKeyInSerializer, request)
        device_key, key = issue_device_key(actor=request.user, meter_identifier=identifier, name=data["name"])
        answer = {**s.DeviceKeySerializer(device_key).data, "key": key}
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class DeviceKeyDetailApi(APIView):
    @extend_schema(operation_id="device_keys_revoke", request=None,
                   responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, identifier: str, key_id: int):
        revoke_device_key(actor=request.user, meter_identifier=identifier, key_id=key_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
