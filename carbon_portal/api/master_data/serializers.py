"""What the master-data endpoints take and answer. Input is shaped here; the rules (who may,
which values fit together, names already taken) are the services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carbon_portal.api.fields import AsciiDecimalField, AsciiIntegerField
from inventories.choices import Category, EnergyType, Fuel
from inventories.models import Meter
from inventories.models.facilities import METER_UNITS

ENTERPRISE_HELP = _("Required for officers of more than one enterprise.")


class FacilitySerializer(serializers.Serializer):
    id = AsciiIntegerField()
    enterprise = AsciiIntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    name = serializers.CharField()
    address = serializers.CharField()
    boundary = serializers.CharField(help_text=_(
        "The organisational and operational boundary (GB/T 32150): what is inside the inventory and what is "
        "outside."))


class FacilityInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    boundary = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    enterprise = AsciiIntegerField(required=False, help_text=ENTERPRISE_HELP)


class ProductSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    enterprise = AsciiIntegerField(source="enterprise_id")
    enterprise_name = serializers.CharField(source="enterprise.name")
    name = serializers.CharField()
    code = serializers.CharField(help_text=_("Product code or model number."))
    declared_unit = serializers.CharField()
    description = serializers.CharField()
    active = serializers.BooleanField(source="is_active")


class ProductInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    declared_unit = serializers.CharField(max_length=30, help_text=_("e.g. t, piece, m2"))
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, source="is_active")
    enterprise = AsciiIntegerField(required=False, help_text=ENTERPRISE_HELP)


class SourceSerializer(serializers.Serializer):
    id = AsciiIntegerField()
    facility = AsciiIntegerField(source="facility_id")
    facility_name = serializers.CharField(source="facility.name")
    name = serializers.CharField()
    category = serializers.CharField()
    category_display = serializers.CharField(source="get_category_display")
    fuel = serializers.CharField()


class SourceInSerializer(serializers.Serializer):
    facility = AsciiIntegerField()
    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Category.choices)
    fuel = serializers.ChoiceField(choices=Fuel.choices, required=False, allow_blank=True,
                                   help_text=_("Only for fuel combustion, and required there."))


class MeterInSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    energy_type = serializers.ChoiceField(choices=EnergyType.choices)
    unit = serializers.ChoiceField(choices=METER_UNITS)
    reading_kind = serializers.ChoiceField(choices=Meter.ReadingKind.choices)
    register_max = AsciiDecimalField(max_digits=20, decimal_places=6, required=False, allow_null=True,
                                     help_text=_("For a cumulative meter: the value at which the register rolls over."))
    facility = AsciiIntegerField(required=False, allow_null=True)
    emission_source = AsciiIntegerField(required=False, allow_null=True)
    parent = serializers.CharField(max_length=64, required=False, allow_null=True, allow_blank=True,
                                   help_text=_("Identifier of the main meter this one is a sub-meter of."))
    active = serializers.BooleanField(required=False, source="is_active")
    enterprise = AsciiIntegerField(required=False, help_text=ENTERPRISE_HELP)


class MeterPatchSerializer(MeterInSerializer):
    identifier = None  # stays: devices send readings by it
    enterprise = None


class DeviceKeySerializer(serializers.Serializer):
    id = AsciiIntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked = serializers.SerializerMethodField()

    def get_revoked(self, key) -> bool:
        return key.revoked_at is not None


class DeviceKeyInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class IssuedDeviceKeySerializer(DeviceKeySerializer):
    key = serializers.CharField(help_text=_("The key itself: shown only in this answer."))
