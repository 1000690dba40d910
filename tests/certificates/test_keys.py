"""Signing keys: encrypted at rest, rotation keeps old labels verifiable, keys from the environment."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from certificates import key_store, signing
from certificates.models import SigningKey
from certificates.offline import keys_from_document, verify_label_document

pytestmark = pytest.mark.django_db


def test_private_key_is_stored_encrypted(enterprise_label):
    key = enterprise_label.signing_key
    assert key.private_key_source == "database" and key.private_key_encrypted
    raw = signing.raw_private_key(key_store.private_key_of(key))
    import base64

    assert base64.b64encode(raw).decode() not in key.private_key_encrypted
    assert raw.hex() not in key.private_key_encrypted


def test_rotation_keeps_old_labels_verifiable(issue, inventory_a, enterprise_label, capsys):
    client = Client()
    old_document = client.get(f"/api/v1/labels/{enterprise_label.identifier}").json()
    call_command("rotate_signing_key", "--json")
    new_key_id = json.loads(capsys.readouterr().out)["key_id"]
    assert new_key_id != enterprise_label.signing_key.key_id

    new_label = next(label for label in issue(inventory_a, reissue=True) if label.kind == "enterprise")
    assert new_label.signing_key.key_id == new_key_id

    keys = client.get("/api/v1/keys").json()["keys"]
    assert {key["key_id"]: key["status"] for key in keys} == {enterprise_label.signing_key.key_id: "retired",
                                                              new_key_id: "current"}
    published = keys_from_document({"keys": keys})
    assert verify_label_document(old_document, published)
    assert verify_label_document(client.get(f"/api/v1/labels/{new_label.identifier}").json(), published)
    call_command("verify_label", enterprise_label.identifier)
    assert "signature valid" in capsys.readouterr().out
    assert "BEGIN PUBLIC KEY" in keys[0]["public_key_pem"]


def test_key_kept_in_the_environment(settings, issue, inventory_a, tmp_path):
    private_key = signing.generate_private_key()
    from cryptography.hazmat.primitives import serialization

    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    pem_file = tmp_path / "label-key.pem"
    pem_file.write_text(pem)
    call_command("rotate_signing_key", "--private-key-file", str(pem_file))
    key = SigningKey.objects.get(is_current=True)
    assert key.private_key_source == "environment" and key.private_key_encrypted == ""

    settings.LABEL_SIGNING_PRIVATE_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        issue(inventory_a)
    settings.LABEL_SIGNING_PRIVATE_KEY_FILE = str(pem_file)
    label = issue(inventory_a)[0]
    assert label.signing_key == key
    assert signing.verify(private_key.public_key(), label.payload, label.signature)
