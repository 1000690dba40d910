"""The versioned emission-factor library.

A factor set is published once and never edited: a new edition is a new version. Results
keep their own snapshot of the values they used, so even an edit cannot change them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactorSet(models.Model):
    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=20)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published_on = models.DateField(_("published on"))
    subjects = models.JSONField(_("subjects"), default=dict, help_text=_("Names and base units of the subjects."))
    is_current = models.BooleanField(_("current"), default=False, help_text=_("Used for new inventories."))
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-published_on"]
        verbose_name = _("factor set")
        verbose_name_plural = _("factor sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="factor_set_unique_version"),
            models.UniqueConstraint(fields=["is_current"], condition=models.Q(is_current=True),
                                    name="factor_set_one_current"),
        ]

    def __str__(self):
        return f"{self.code} {self.version}"

    def as_library_dict(self) -> dict:
        """The structure `FactorLibrary.from_dict` reads (the same as fixtures/factor_library.json)."""
        return {
            "code": self.code,
            "version": self.version,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "published_on": self.published_on.isoformat(),
            "description": self.description,
            "subjects": self.subjects,
            "values": [value.as_dict() for value in self.values.all()],
        }


class FactorValue(models.Model):
    factor_set = models.ForeignKey(FactorSet, models.CASCADE, related_name="values", verbose_name=_("factor set"))
    subject = models.CharField(_("subject"), max_length=40, help_text=_("A fuel, electricity or heat."))
    parameter = models.CharField(_("parameter"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=10)
    unit = models.CharField(_("unit"), max_length=30)
    programme = models.CharField(_("programme"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=20, blank=True)
    data_year = models.PositiveSmallIntegerField(_("data year"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["factor_set", "subject", "parameter", "programme", "region", "data_year"]
        verbose_name = _("factor value")
        verbose_name_plural = _("factor values")
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "subject", "parameter", "programme", "region", "data_year"],
                name="factor_value_unique", nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.subject}.{self.parameter} = {self.value.normalize()} {self.unit}"

    def as_dict(self) -> dict:
        return {
            "subject": self.subject,
            "parameter": self.parameter,
            "value": format(self.value.normalize(), "f"),
            "unit": self.unit,
            "programme": self.programme,
            "region": self.region,
            "data_year": self.data_year,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "source": self.source,
            "note": self.note,
        }
