"""Region names in templates: `{% load regions %}{{ code|region_name }}` -> 浙江省杭州市西湖区;
`{{ code|region_label }}` -> 浙江省杭州市西湖区 (330106), for officials who work with codes;
`{% region_edition %}` -> the GB/T 2260 edition of the table."""

from django import template

from carbon_portal.core import regions

register = template.Library()


@register.filter
def region_name(code):
    return regions.region_name(code) if code else "—"


@register.filter
def region_label(code):
    return regions.region_label(code) if code else "—"


@register.simple_tag
def region_edition():
    return regions.region_edition()
