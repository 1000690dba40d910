"""Reads for government users: ratings of the certified enterprises in their jurisdiction.

Only verified data: the current enterprise labels of certified inventories (revoked ones left
out), reached through `inventories_visible_to`, which gives a government user the verified and
certified inventories of their authority's regions and industries only (administrators: all).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carbon_portal.accounts.models import Role
from carbon_portal.core import regions
from carbon_portal.core.errors import InvalidInput
from inventories.selectors import PUBLISHED_STATES, inventories_visible_to

from .models import Label
from .policies import is_admin

GRADES = (1, 2, 3, 4, 5)
Q6 = Decimal("0.000001")


def rated_labels(user, *, year: int | None = None, industry: str = "", region: str = "") -> QuerySet[Label]:
    labels = (Label.objects.filter(kind=Label.Kind.ENTERPRISE, is_current=True,
                                   inventory__in=inventories_visible_to(user).filter(status__in=PUBLISHED_STATES))
              .exclude(status=Label.Status.REVOKED)
              .select_related("enterprise__industry", "inventory", "verifier_body"))
    if year:
        labels = labels.filter(inventory__year=year)
    if industry:
        labels = labels.filter(enterprise__industry_id=industry)
    if region:
        labels = labels.filter(enterprise__region_code__startswith=region_prefix(region))
    return labels.order_by("enterprise__region_code", "enterprise__industry_id", "enterprise__name")


def region_prefix(code: str) -> str:
    """330000 -> 33, 330100 -> 3301, 330106 -> 330106 (as Authority.region_prefixes)."""
    return regions.region_prefix(code)


def jurisdiction_prefixes(user) -> list[str] | None:
    """The region code prefixes of the user's authorities; None for administrators (everywhere)."""
    if is_admin(user):
        return None
    prefixes = set()
    for membership in user.memberships.filter(role=Role.GOVERNMENT).select_related("authority"):
        prefixes.update(membership.authority.region_prefixes())
    # A prefix inside another one adds nothing: ["33", "3301"] -> ["33"].
    return sorted(prefix for prefix in prefixes
                  if not any(prefix != other and prefix.startswith(other) for other in prefixes))


def region_filter_choices(user) -> list[tuple[str, str]]:
    """The regions a user may filter by, "name (code)", by code: every province, prefecture and
    county of their jurisdiction; for administrators the provinces and prefectures (any known
    county code is still accepted, `check_region_filter`)."""
    prefixes = jurisdiction_prefixes(user)
    if prefixes is None:
        choices = regions.region_choices(levels=("province", "prefecture"))
    else:
        choices = sorted({choice for prefix in prefixes for choice in regions.region_choices(within=prefix)})
    return [(code, f"{name} ({code})") for code, name in choices]


def check_region_filter(user, code: str) -> str:
    """The code, if it is a known region inside the user's jurisdiction; else InvalidInput."""
    if not regions.is_known_region(code):
        raise InvalidInput(_("%(code)s is not a region code of GB/T 2260.") % {"code": code},
                           code="unknown_region")
    prefixes = jurisdiction_prefixes(user)
    if prefixes is not None and not any(code.startswith(prefix) for prefix in prefixes):
        raise InvalidInput(_("%(region)s is outside your jurisdiction.") % {"region": regions.region_label(code)},
                           code="outside_jurisdiction")
    return code


def years_available(user) -> list[int]:
    return sorted(set(rated_labels(user).values_list("inventory__year", flat=True)), reverse=True)


def prefecture(region_code: str) -> str:
    """330106 -> 330100 (the city level of GB/T 2260)."""
    return region_code[:4] + "00"


@dataclass
class Group:
    region: str
    industry: str
    industry_name: str
    count: int = 0
    emissions: Decimal = Decimal(0)
    added_value: Decimal = Decimal(0)
    k_values: list = field(default_factory=list)
    grades: Counter = field(default_factory=Counter)
    previous_intensity: Decimal | None = None

    @property
    def region_name(self) -> str:
        return regions.region_name(self.region) if self.region else ""

    @property
    def intensity(self) -> Decimal | None:
        return (self.emissions / self.added_value).quantize(Q6) if self.added_value else None

    @property
    def mean_k(self) -> Decimal | None:
        return (sum(self.k_values, Decimal(0)) / len(self.k_values)).quantize(Q6) if self.k_values else None

    @property
    def grade_counts(self) -> list[int]:
        return [self.grades.get(grade, 0) for grade in GRADES]

    @property
    def change_percent(self) -> Decimal | None:
        if self.previous_intensity in (None, Decimal(0)) or self.intensity is None:
            return None
        return ((self.intensity - self.previous_intensity) / self.previous_intensity * 100).quantize(Decimal("0.1"))


def _add(group: Group, label: Label) -> None:
    figures = label.figures
    group.count += 1
    group.emissions += Decimal(figures["energy_related_tco2"])
    group.added_value += Decimal(figures["added_value_10k_yuan"])
    if label.efficiency_value_k is not None:
        group.k_values.append(label.efficiency_value_k)
    if label.grade:
        group.grades[label.grade] += 1


def ratings(user, *, year: int, industry: str = "", region: str = "") -> dict:
    """Ratings by region (city) and industry for `year`, with the year-over-year change of the
    aggregate intensity, the grade distribution and the totals."""
    groups: dict[tuple, Group] = {}
    total = Group(region="", industry="", industry_name="")
    for label in rated_labels(user, year=year, industry=industry, region=region):
        key = (prefecture(label.enterprise.region_code), label.enterprise.industry_id)
        group = groups.setdefault(key, Group(key[0], key[1], label.enterprise.industry.name_zh))
        _add(group, label)
        _add(total, label)
    previous: dict[tuple, Group] = defaultdict(lambda: Group("", "", ""))
    previous_total = Group("", "", "")
    for label in rated_labels(user, year=year - 1, industry=industry, region=region):
        _add(previous[(prefecture(label.enterprise.region_code), label.enterprise.industry_id)], label)
        _add(previous_total, label)
    for key, group in groups.items():
        if key in previous:
            group.previous_intensity = previous[key].intensity
    total.previous_intensity = previous_total.intensity
    return {"groups": sorted(groups.values(), key=lambda g: (g.region, g.industry)), "total": total}


def enterprise_rows(user, *, year: int | None = None, industry: str = "", region: str = "") -> list[dict]:
    """One row per certified enterprise and year, with its label and the change from its previous year."""
    labels = list(rated_labels(user, year=year, industry=industry, region=region))
    previous = {}
    if year:
        for label in rated_labels(user, year=year - 1, industry=industry, region=region):
            previous[label.enterprise_id] = label
    rows = []
    for label in labels:
        figures = label.figures
        before = previous.get(label.enterprise_id)
        change = None
        if before is not None and before.intensity:
            change = ((label.intensity - before.intensity) / before.intensity * 100).quantize(Decimal("0.1"))
        rows.append({
            "enterprise": label.enterprise.name, "credit_code": label.enterprise.credit_code,
            "region_code": label.enterprise.region_code,
            "region_name": regions.region_name(label.enterprise.region_code), "industry": label.enterprise.industry_id,
            "year": label.inventory.year, "total_tco2e": figures["total_tco2e"],
            "energy_related_tco2": figures["energy_related_tco2"], "energy_tce": figures["energy_tce"],
            "added_value_10k_yuan": figures["added_value_10k_yuan"],
            "intensity": figures["intensity_tco2_per_10k_yuan"],
            "industry_average": (figures.get("industry_average") or {}).get("value"),
            "industry_average_basis": (figures.get("industry_average") or {}).get("basis"),
            "k": figures["efficiency_value_k"], "grade": label.grade, "band": label.band,
            "rating": figures["rating_zh"], "previous_grade": before.grade if before else None,
            "intensity_change_percent": change, "label": label.identifier, "status": label.effective_status(),
            "valid_until": label.valid_until.isoformat(), "verifier": label.verifier_body.name,
        })
    return rows


EXPORT_COLUMNS = [
    ("enterprise", "企业 Enterprise"), ("credit_code", "统一社会信用代码 Credit code"),
    ("region_code", "行政区划代码 Region code"), ("region_name", "行政区划 Region"), ("industry", "行业 Industry"),
    ("year", "年度 Year"),
    ("total_tco2e", "排放总量 Total tCO2e"), ("energy_related_tco2", "能源活动CO2 Energy-related tCO2"),
    ("energy_tce", "综合能耗 Energy tce"), ("added_value_10k_yuan", "工业增加值 Added value 10^4 yuan"),
    ("intensity", "碳排放强度 L"), ("industry_average", "行业平均 Industry average"),
    ("industry_average_basis", "平均值依据 Basis"), ("k", "碳效值 K"), ("grade", "等级 Grade"),
    ("band", "水平 Band"), ("rating", "碳效码 Rating"), ("previous_grade", "上年等级 Previous grade"),
    ("intensity_change_percent", "强度同比 L change %"), ("label", "标识 Label"), ("status", "状态 Status"),
    ("valid_until", "有效期至 Valid until"), ("verifier", "核查机构 Verifier"),
]
