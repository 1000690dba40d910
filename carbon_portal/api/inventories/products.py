"""The products of an inventory's year over HTTP (docs/interfaces.md §7): a catalogue product of
the enterprise listed with its output and output value. Whoever may see the inventory reads
them; its carbon officers add, change and remove them until the inventory goes to internal
review (then 409). Thin views: the inventory through `workflows.selectors.inventory_for` (404 for
another enterprise's), writes through `inventories.products`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.errors import errors
from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField
from inventories import products
from workflows.selectors import inventory_for


class InventoryProductSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    product = AsciiIntegerField(source="product_id", allow_null=True,
                                help_text=_("The catalogue product; null for a product entered before the catalogue."))
    name = serializers.CharField(help_text=_("As taken from the catalogue when the product was added."))
    declared_unit = serializers.CharField(help_text=_("As taken from the catalogue when the product was added."))
    output = AsciiDecimalField(max_digits=20, decimal_places=6, help_text=_("Output in the declared unit."))
    value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, allow_null=True)


class InventoryProductInSerializer(serializers.Serializer):
    product = AsciiIntegerField(help_text=_("A catalogue product of the inventory's enterprise."))
    output = AsciiDecimalField(max_digits=20, decimal_places=6, help_text=_("Output in the declared unit."))
    value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, required=False, allow_null=True,
                                       help_text=_("Output value (10^4 yuan): needed to allocate by value."))


class InventoryProductPatchSerializer(serializers.Serializer):
    output = AsciiDecimalField(max_digits=20, decimal_places=6, required=False)
    value_10k_yuan = AsciiDecimalField(max_digits=16, decimal_places=4, required=False, allow_null=True)


def _valid(serializer_class, request, *, partial=False) -> dict:
    payload = serializer_class(data=request.data, partial=partial)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class InventoryProductListApi(APIView):
    @extend_schema(operation_id="inventories_products_list", responses={200: inline_serializer(
        "InventoryProductList", {"products": InventoryProductSerializer(many=True)}), **errors(401, 403, 404)})
    def get(self, request, pk):
        inventory = inventory_for(request.user, pk)
        return Response({"products": InventoryProductSerializer(products.products_of(inventory), many=True).data})

    @extend_schema(operation_id="inventories_products_create", request=InventoryProductInSerializer,
                   responses={201: InventoryProductSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        inventory = inventory_for(request.user, pk)
        data = _valid(InventoryProductInSerializer, request)
        entry = products.add_inventory_product(actor=request.user, inventory_id=inventory.pk, product=data["product"],
                                               output=data["output"], value_10k_yuan=data.get("value_10k_yuan"))
        return Response(InventoryProductSerializer(entry).data, status=status.HTTP_201_CREATED)


class InventoryProductDetailApi(APIView):
    @extend_schema(operation_id="inventories_products_retrieve",
                   responses={200: InventoryProductSerializer, **errors(401, 403, 404)})
    def get(self, request, pk, entry_id):
        inventory = inventory_for(request.user, pk)
        return Response(InventoryProductSerializer(products.inventory_product_of(inventory, entry_id)).data)

    @extend_schema(operation_id="inventories_products_update", request=InventoryProductPatchSerializer,
                   responses={200: InventoryProductSerializer, **errors(400, 401, 403, 404, 409)})
    def patch(self, request, pk, entry_id):
        inventory = inventory_for(request.user, pk)
        products.inventory_product_of(inventory, entry_id)
        changes = _valid(InventoryProductPatchSerializer, request, partial=True)
        entry = products.update_inventory_product(actor=request.user, inventory_id=inventory.pk, entry_id=entry_id,
                                                  changes=changes)
        return Response(InventoryProductSerializer(entry).data)

    @extend_schema(operation_id="inventories_products_remove", request=None,
                   responses={204: None, **errors(401, 403, 404, 409)},
                   description="Take the product off the inventory, with its upstream inputs.")
    def delete(self, request, pk, entry_id):
        inventory = inventory_for(request.user, pk)
        products.inventory_product_of(inventory, entry_id)
        products.remove_inventory_product(actor=request.user, inventory_id=inventory.pk, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
