import copy
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from inventories.models import FactorSet, FactorValue
from inventories.services import load_factor_library


@pytest.fixture
def library_data():
    return json.loads(settings.FACTOR_LIBRARY_FILE.read_text(encoding="utf-8"))


def test_every_value_has_a_source(library_data):
    assert library_data["values"]
    assert all(entry["source"].strip() for entry in library_data["values"])


def test_loading_stores_every_value_and_makes_the_set_current(db, library_data):
    factor_set, created = load_factor_library(data=library_data)
    assert created and factor_set.is_current
    assert factor_set.values.count() == len(library_data["values"])
    coal_ncv = factor_set.values.get(subject="raw_coal", parameter="ncv")
    assert coal_ncv.value == Decimal("20.908")


def test_loading_the_same_edition_again_changes_nothing(db, library_data):
    load_factor_library(data=library_data)
    _factor_set, created = load_factor_library(data=library_data)
    assert not created
    assert FactorSet.objects.count() == 1
    assert FactorValue.objects.count() == len(library_data["values"])


def test_changed_values_under_the_same_version_are_refused(db, library_data):
    load_factor_library(data=library_data)
    changed = copy.deepcopy(library_data)
    changed["values"][0]["value"] = "99"
    with pytest.raises(ValidationError, match="new version"):
        load_factor_library(data=changed)
    assert FactorValue.objects.filter(value=Decimal("99")).count() == 0


def test_a_new_version_becomes_current_and_the_old_one_stays(db, library_data):
    old, _ = load_factor_library(data=library_data)
    newer = copy.deepcopy(library_data)
    newer["version"] = "2099.1"
    new, _ = load_factor_library(data=newer)
    old.refresh_from_db()
    assert new.is_current and not old.is_current
    assert old.values.count() == new.values.count()


def test_malformed_library_is_refused_and_nothing_is_stored(db, library_data):
    broken = copy.deepcopy(library_data)
    broken["values"][0]["value"] = "not a number"
    with pytest.raises(ValidationError):
        load_factor_library(data=broken)
    assert FactorSet.objects.count() == 0


def test_command_reports_bad_files(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_factor_library", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_factor_library", str(tmp_path / "missing.json"))
