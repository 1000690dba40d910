import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from carbon_portal.accounts.models import Authority, Enterprise, Industry, Membership, Role, User, VerifierBody
from carbon_portal.accounts.uscc import with_check_character


@pytest.fixture
def industry(db):
    return Industry.objects.create(code="C30", name_zh="非金属矿物制品业", name_en="Non-metallic mineral products")


def test_enterprise_with_a_bad_credit_code_does_not_validate(industry):
    enterprise = Enterprise(name="X", credit_code="91330106MA2XXXX0A1", industry=industry, region_code="330106")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "credit_code" in error.value.message_dict


def test_enterprise_region_and_industry_codes_are_validated(db):
    with pytest.raises(ValidationError) as error:
        Industry(code="30", name_zh="x", name_en="x").full_clean()
    assert "code" in error.value.message_dict
    enterprise = Enterprise(name="X", credit_code=with_check_character("91330106MA2XXXX0A"),
                            industry_id="C30", region_code="3301")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean(exclude=["industry"])
    assert "region_code" in error.value.message_dict


def test_membership_must_name_the_organisation_of_its_role(industry):
    user = User.objects.create_user("u1", password="x")
    enterprise = Enterprise.objects.create(name="A", credit_code=with_check_character("91330106MA2XXXX0A"),
                                           industry=industry, region_code="330106")
    Membership.objects.create(user=user, role=Role.OFFICER, enterprise=enterprise)
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.VERIFIER, enterprise=enterprise)


def test_roles_that_require_mfa(industry):
    authority = Authority.objects.create(name="Gov", region_codes=["330000"])
    officer = User.objects.create_user("officer")
    government = User.objects.create_user("gov")
    Membership.objects.create(user=government, role=Role.GOVERNMENT, authority=authority)
    assert not officer.requires_mfa
    assert government.requires_mfa


@pytest.mark.parametrize(
    ("jurisdiction", "region", "covered"),
    [
        ("330000", "330106", True),
        ("330000", "320106", False),
        ("330100", "330106", True),
        ("330100", "330203", False),
        ("330106", "330106", True),
    ],
)
def test_authority_jurisdiction_covers_subdivisions(jurisdiction, region, covered):
    assert Authority(name="x", region_codes=[jurisdiction]).covers_region(region) is covered


def test_verifier_accreditation_depends_on_scope_and_dates(industry):
    other = Industry.objects.create(code="C26", name_zh="化工", name_en="Chemicals")
    body = VerifierBody.objects.create(
        name="V", credit_code=with_check_character("91110105MA0XXXX0Y"), accreditation_number="N1",
        accredited_from=datetime.date(2024, 1, 1), accredited_until=datetime.date(2025, 12, 31),
    )
    body.scope.set([industry])
    assert body.is_accredited_for(industry, on=datetime.date(2025, 6, 1))
    assert not body.is_accredited_for(other, on=datetime.date(2025, 6, 1))
    assert not body.is_accredited_for(industry, on=datetime.date(2026, 1, 1))
