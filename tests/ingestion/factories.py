"""Builders for the ingestion tests that need the demo's meters but nothing else of seed_demo
(no users, device keys, baselines or calculated inventory)."""

from carbon_portal.accounts.models import Enterprise, Industry
from carbon_portal.accounts.uscc import with_check_character
from carbon_portal.demo import METERS
from inventories.models import Facility, Meter

# The demo's two enterprises: key -> (credit code without its check character, industry, region).
ENTERPRISES = {"A": ("91330106MA2XXXX0A", "C30", "330106"), "B": ("91330203MA2XXXX0B", "C26", "330203")}


def make_demo_meters() -> dict[str, Enterprise]:
    """Enterprises A and B, each with the meters seed_demo gives it (carbon_portal.demo.METERS:
    A-ELEC-01, A-GAS-01, A-STEAM-01; B-ELEC-01), same kinds, units and register limits."""
    enterprises = {}
    for key, (code, industry, region) in ENTERPRISES.items():
        Industry.objects.get_or_create(code=industry, defaults={"name_zh": industry, "name_en": industry})
        enterprise = Enterprise.objects.create(name=f"测试企业{key}", name_en=f"Test {key}",
                                               credit_code=with_check_character(code), industry_id=industry,
                                               region_code=region)
        facility = Facility.objects.create(enterprise=enterprise, name="主厂区 Main site")
        for identifier, name, energy_type, unit, kind, register_max in METERS[key]:
            Meter.objects.create(identifier=identifier, enterprise=enterprise, facility=facility, name=name,
                                 energy_type=energy_type, unit=unit, reading_kind=kind, register_max=register_max)
        enterprises[key] = enterprise
    return enterprises
