"""Upstream inputs of an inventory's products over HTTP (docs/interfaces.md §7): purchased
materials or parts, valued by an emission factor with its source or by a supplier's product
label of this portal. Whoever may see the inventory reads them; its carbon officers add and
remove them until the inventory goes to internal review (then 409). Thin views: the inventory
through `workflows.selectors.inventory_for` (404 for another enterprise's), writes through
`certificates.services`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.errors import errors
from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField
from carbon_portal.core.errors import NotFound
from certificates.models import UpstreamInput
from certificates.selectors import upstream_inputs_of
from certificates.services import add_upstream_input, remove_upstream_input
from workflows.selectors import inventory_for


class UpstreamInputSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    product = AsciiIntegerField(source="product_id", help_text=_("The product of the inventory it is consumed for."))
    product_name = serializers.CharField(source="product.name")
    description = serializers.CharField()
    quantity = AsciiDecimalField(max_digits=20, decimal_places=6)
    unit = serializers.CharField()
    source = serializers.ChoiceField(choices=UpstreamInput.Source.choices)
    emission_factor = AsciiDecimalField(max_digits=20, decimal_places=9, allow_null=True,
                                        help_text=_("tCO2e per unit, for source \"factor\"."))
    factor_source = serializers.CharField()
    supplier_label = serializers.CharField(source="supplier_label.identifier", allow_null=True, default=None,
                                           help_text=_("The supplier's label identifier, for source \"label\"."))


class UpstreamInputInSerializer(serializers.Serializer):
    product = AsciiIntegerField(help_text=_("A product of this inventory (id from /inventories/<id>/products)."))
    description = serializers.CharField(max_length=200)
    quantity = AsciiDecimalField(max_digits=20, decimal_places=6, min_value=0)
    unit = serializers.CharField(max_length=30)
    source = serializers.ChoiceField(choices=UpstreamInput.Source.choices, required=False, help_text=_(
        "Optional: \"factor\" needs emission_factor and factor_source, \"label\" needs supplier_label."))
    emission_factor = AsciiDecimalField(max_digits=20, decimal_places=9, min_value=0, required=False,
                                        allow_null=True, help_text=_("tCO2e per unit."))
    factor_source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    supplier_label = serializers.CharField(max_length=140, required=False, allow_blank=True, help_text=_(
        "The identifier of a supplier's active product label issued by this portal."))


class UpstreamInputListApi(APIView):
    @extend_schema(operation_id="inventories_upstream_inputs_list", responses={200: inline_serializer(
        "UpstreamInputList", {"upstream_inputs": UpstreamInputSerializer(many=True)}), **errors(401, 403, 404)})
    def get(self, request, pk):
        inventory = inventory_for(request.user, pk)
        return Response({"upstream_inputs": UpstreamInputSerializer(upstream_inputs_of(inventory), many=True).data})

    @extend_schema(operation_id="inventories_upstream_inputs_create", request=UpstreamInputInSerializer,
                   responses={201: UpstreamInputSerializer, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        inventory = inventory_for(request.user, pk)
        payload = UpstreamInputInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        by = data.get("source")
        emission_factor = None if by == UpstreamInput.Source.LABEL else data.get("emission_factor")
        supplier = "" if by == UpstreamInput.Source.FACTOR else data.get("supplier_label", "")
        item = add_upstream_input(inventory=inventory, product=data["product"], description=data["description"],
                                  quantity=data["quantity"], unit=data["unit"], user=request.user,
                                  emission_factor=emission_factor,
                                  factor_source=data.get("factor_source", "") if emission_factor is not None else "",
                                  supplier_identifier=supplier)
        return Response(UpstreamInputSerializer(upstream_inputs_of(inventory).get(pk=item.pk)).data,
                        status=status.HTTP_201_CREATED)


class UpstreamInputDetailApi(APIView):
    @extend_schema(operation_id="inventories_upstream_inputs_retrieve",
                   responses={200: UpstreamInputSerializer, **errors(401, 403, 404)})
    def get(self, request, pk, input_id):
        return Response(UpstreamInputSerializer(_input(request, pk, input_id)).data)

    @extend_schema(operation_id="inventories_upstream_inputs_remove", request=None,
                   responses={204: None, **errors(401, 403, 404, 409)})
    def delete(self, request, pk, input_id):
        remove_upstream_input(upstream_input=_input(request, pk, input_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _input(request, pk, input_id) -> UpstreamInput:
    inventory = inventory_for(request.user, pk)
    item = upstream_inputs_of(inventory).filter(pk=input_id).first()
    if item is None:
        raise NotFound(_("No such upstream input in this inventory."))
    return item
