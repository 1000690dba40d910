"""Second factor (TOTP, django-otp) for the roles that require it."""

import base64

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_SESSION_KEY = "mfa_pending_user_id"


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device a user is enrolling, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def verify_totp(device: TOTPDevice, token: str) -> bool:
    """Check a token; django-otp throttles repeated failures per device."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    allowed, _details = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URI, so enrolment needs no external service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)
