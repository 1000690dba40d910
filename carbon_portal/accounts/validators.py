import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .uscc import uscc_error


def validate_uscc(value: str) -> None:
    error = uscc_error(value)
    if error:
        raise ValidationError(_("Invalid unified social credit code: %(error)s"), params={"error": error})


REGION_CODE = re.compile(r"^\d{6}$")
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2}$")


def validate_region_code(value: str) -> None:
    """Six digits, and a province, prefecture or county of the GB/T 2260 table (carbon_portal/core/regions.py)."""
    from carbon_portal.core.regions import is_known_region

    if not isinstance(value, str) or not REGION_CODE.match(value):
        raise ValidationError(_("A region code has six digits (GB/T 2260), e.g. 330100."))
    if not is_known_region(value):
        raise ValidationError(_("%(code)s is not a province, prefecture or county of the GB/T 2260 table."),
                              params={"code": value}, code="unknown_region")


def validate_industry_code(value: str) -> None:
    if not INDUSTRY_CODE.match(value):
        raise ValidationError(_("An industry code is a GB/T 4754 division such as C30."))


def validate_code_list(values, validator) -> None:
    if not isinstance(values, list):
        raise ValidationError(_("Expected a list of codes."))
    for value in values:
        validator(value)
