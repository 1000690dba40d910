"""Offline verification of a label document (the JSON of GET /api/v1/labels/<identifier>) against
published keys (the JSON of GET /api/v1/keys, or a key_id -> public key map). Pure: no Django."""

import json

from . import signing

TOP_LEVEL_SIGNED_FIELDS = ("identifier", "kind", "subject", "period", "figures", "verifier", "issued_at",
                           "valid_until")


class VerificationFailed(ValueError):
    pass


def keys_from_document(document: dict) -> dict[str, str]:
    """key_id -> raw public key (base64) from {"keys": [...]}."""
    keys = {}
    for key in document.get("keys", []):
        if key.get("alg", signing.ALGORITHM) == signing.ALGORITHM and key.get("key_id") and key.get("public_key"):
            keys[key["key_id"]] = key["public_key"]
    return keys


def verify_label_document(label: dict, keys: dict[str, str]) -> dict:
    """The signed content of `label` when its signature verifies with the named key and its
    readable fields agree with the signed payload; VerificationFailed (one line) otherwise."""
    if not isinstance(label, dict):
        raise VerificationFailed("not a label document (expected a JSON object)")
    payload, signature = label.get("payload"), label.get("signature")
    if not isinstance(payload, str) or not isinstance(signature, dict):
        raise VerificationFailed("the document has no payload or signature")
    if signature.get("alg") != signing.ALGORITHM:
        raise VerificationFailed(f"unsupported signature algorithm {signature.get('alg')!r}")
    key_id = signature.get("key_id")
    if key_id not in keys:
        raise VerificationFailed(f"unknown signing key {key_id!r}")
    try:
        public_key = signing.public_key_from_b64(keys[key_id])
    except ValueError:
        raise VerificationFailed(f"the published key {key_id} is not an Ed25519 key") from None
    if not signing.verify(public_key, payload, str(signature.get("value", ""))):
        raise VerificationFailed(f"bad signature: the payload of {label.get('identifier', 'the label')} "
                                 f"does not verify with key {key_id}")
    try:
        content = json.loads(payload)
    except ValueError:
        raise VerificationFailed("the signed payload is not JSON") from None
    if content.get("key_id") not in (None, key_id):
        raise VerificationFailed("the payload names another signing key than the signature")
    for field in TOP_LEVEL_SIGNED_FIELDS:
        if field in label and label[field] != content.get(field):
            raise VerificationFailed(f"the field {field!r} differs from the signed payload")
    return content
