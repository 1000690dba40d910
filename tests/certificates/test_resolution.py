"""GET /api/v1/labels/<identifier>, GET /api/v1/keys and /id/<identifier> (docs/interfaces.md §4, §6)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from certificates import signing
from certificates.offline import VerificationFailed, keys_from_document, verify_label_document
from certificates.services import revoke_label, suspend_label, resume_label

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = {"identifier", "kind", "status", "subject", "period", "figures", "verifier", "issued_at",
                 "valid_until", "payload", "signature"}


@pytest.fixture
def client():
    return Client()


def english_page(client, identifier):
    """The page as a user who picked English with the language switch (the language cookie)."""
    from django.conf import settings

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english.get(f"/id/{identifier}")


def get_label(client, identifier):
    return client.get(f"/api/v1/labels/{identifier}")


def test_label_json_has_the_contract_shape(client, enterprise_label):
    response = get_label(client, enterprise_label.identifier)
    assert response.status_code == 200
    data = response.json()
    assert CONTRACT_KEYS <= set(data)
    assert data["identifier"] == enterprise_label.identifier
    assert data["kind"] == "enterprise" and data["status"] == "active"
    assert data["payload"] == enterprise_label.payload
    assert data["signature"] == {"alg": "Ed25519", "key_id": enterprise_label.signing_key.key_id,
                                 "value": enterprise_label.signature}
    content = json.loads(data["payload"])
    for field in ("subject", "period", "figures", "verifier", "issued_at", "valid_until"):
        assert data[field] == content[field]
    assert data["verifier"]["name"] == "中碳认证核查中心"
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31", "year": 2025}
    assert data["figures"]["grade"] == 1


def test_signature_verifies_with_the_published_key_and_tampering_fails(client, enterprise_label):
    data = get_label(client, enterprise_label.identifier).json()
    keys = client.get("/api/v1/keys").json()
    published = keys_from_document(keys)
    assert verify_label_document(data, published)["identifier"] == enterprise_label.identifier
    # With the PEM, as any Ed25519 tool would use it.
    pem = next(key["public_key_pem"] for key in keys["keys"] if key["key_id"] == data["signature"]["key_id"])
    assert signing.verify(signing.public_key_from_pem(pem), data["payload"], data["signature"]["value"])

    tampered = dict(data, payload=data["payload"].replace('"grade":1', '"grade":2'))
    assert tampered["payload"] != data["payload"]
    with pytest.raises(VerificationFailed, match="bad signature"):
        verify_label_document(tampered, published)
    relabelled = dict(data, figures={**data["figures"], "grade": 2})
    with pytest.raises(VerificationFailed, match="figures"):
        verify_label_document(relabelled, published)


def test_public_page_shows_status_verifier_figures_and_checked_signature(client, enterprise_label):
    response = english_page(client, enterprise_label.identifier)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="active"' in html
    assert "中碳认证核查中心" in html and "0.289740" in html and "2025-01-01" in html
    assert "The signature is valid" in html
    assert "http://" not in html.replace("http://portal.test", "")  # no external assets


def test_revoked_label_is_unmistakable_on_the_page_and_in_the_api(client, enterprise_label, users):
    assert get_label(client, enterprise_label.identifier).json()["status"] == "active"  # now cached
    revoke_label(label=enterprise_label, actor=users["verifier_1"], reason="Data falsified")
    data = get_label(client, enterprise_label.identifier).json()
    assert data["status"] == "revoked" and data["status_reason"] == "Data falsified"
    html = english_page(client, enterprise_label.identifier).content.decode()
    assert 'data-status="revoked"' in html and "Revoked" in html and "Data falsified" in html
    assert data["certificate_url"] is None


def test_cache_is_invalidated_on_every_status_change(client, enterprise_label, users, django_assert_num_queries):
    get_label(client, enterprise_label.identifier)
    with django_assert_num_queries(0):
        assert get_label(client, enterprise_label.identifier).json()["status"] == "active"
    suspend_label(label=enterprise_label, actor=users["admin"], reason="Under investigation")
    assert get_label(client, enterprise_label.identifier).json()["status"] == "suspended"
    resume_label(label=enterprise_label, actor=users["admin"], reason="Investigation closed")
    assert get_label(client, enterprise_label.identifier).json()["status"] == "active"


def test_expired_label(client, enterprise_label):
    import datetime

    from certificates.models import Label

    Label.objects.filter(pk=enterprise_label.pk).update(valid_until=datetime.date(2020, 1, 1))
    data = get_label(client, enterprise_label.identifier).json()
    assert data["status"] == "expired"
    html = english_page(client, enterprise_label.identifier).content.decode()
    assert 'data-status="expired"' in html and "Expired" in html


@pytest.mark.parametrize("identifier", [
    "88.888.8888/E2025-NOSUCHLABEL0", "99.1/x", "not-an-identifier", "88.888.8888/", "../../etc/passwd",
    "88.888.8888/E2025-<script>", "a/b/c", "a/b/c/d", "88.888.8888/E2025-" + "X" * 300,
])
def test_unknown_or_malformed_identifiers_are_404_without_details(client, enterprise_label, identifier):
    for url in (f"/api/v1/labels/{identifier}", f"/id/{identifier}"):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        assert "Traceback" not in body and enterprise_label.identifier not in body


def test_api_and_page_need_no_login(client, enterprise_label):
    assert get_label(client, enterprise_label.identifier).status_code == 200
    assert client.get("/api/v1/keys").status_code == 200


def test_status_change_api_needs_the_verifier_body_or_an_admin(enterprise_label, users):
    from .factories import signed_in

    officer = signed_in(users["officer_a"])
    url = f"/api/v1/labels/{enterprise_label.identifier}/suspend"
    assert officer.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    without_second_factor = Client()
    without_second_factor.force_login(users["verifier_1"])
    assert without_second_factor.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    verifier = signed_in(users["verifier_1"])
    response = verifier.post(url, {"reason": "Site visit pending"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    again = verifier.post(url, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"
    assert "不能执行" in again.json()["detail"]  # said in the reader's language
    assert verifier.post(url, {}, content_type="application/json").status_code == 400
    unknown = verifier.post(f"/api/v1/labels/{enterprise_label.identifier}/melt", {"reason": "x"},
                            content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_verify_label_command(tmp_path, client, enterprise_label, capsys):
    data = get_label(client, enterprise_label.identifier).json()
    label_file = tmp_path / "label.json"
    label_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(client.get("/api/v1/keys").json()), encoding="utf-8")

    call_command("verify_label", str(label_file), "--keys", str(keys_file), "--json")
    assert json.loads(capsys.readouterr().out)["valid"] is True
    call_command("verify_label", enterprise_label.identifier)
    assert "signature valid" in capsys.readouterr().out

    data["payload"] = data["payload"].replace('"grade":1', '"grade":5')
    label_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="bad signature") as error:
        call_command("verify_label", str(label_file), "--keys", str(keys_file))
    assert error.value.returncode == 1
    with pytest.raises(CommandError):
        call_command("verify_label", "88.888.8888/E2025-NOSUCHLABEL0")


def test_page_is_in_chinese_by_default_and_in_english_on_request(client, enterprise_label, users):
    html = client.get(f"/id/{enterprise_label.identifier}").content.decode()
    assert "本标识有效" in html and "签名有效" in html and "核查机构" in html and "中碳 1级" in html
    english = english_page(client, enterprise_label.identifier).content.decode()
    assert "This label is active" in english and "Medium-carbon, grade 1" in english
    revoke_label(label=enterprise_label, actor=users["admin"], reason="Falsified data")
    html = client.get(f"/id/{enterprise_label.identifier}").content.decode()
    assert "已被撤销" in html and 'data-status="revoked"' in html


def test_openapi_schema_lists_the_label_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/labels/{prefix}/{suffix}" in schema and "/api/v1/keys" in schema
