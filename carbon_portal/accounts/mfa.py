"""Second factor (TOTP, django-otp) for the users that require it (`User.requires_mfa`).

- An authenticator is set up only with an enrolment code that an administrator issued out of
  band (`issue_enrolment_code`: the admin action or `manage.py issue_enrolment_code`); the code is
  single-use, expires after MFA_ENROLMENT_CODE_HOURS and only its SHA-256 is stored.
- Confirming the authenticator issues RECOVERY_CODES single-use recovery codes (otp_static), each
  accepted once in place of the one-time password.
"""

import base64
import datetime
import hashlib
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import EnrolmentCode

PENDING_SESSION_KEY = "mfa_pending_user_id"
RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery codes"
ENROLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ENROLMENT_CODE_LENGTH = 16  # 80 bits


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_totp(device: TOTPDevice, token: str) -> bool:
    """Check a token; django-otp throttles repeated failures per device."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    allowed, _details = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


def verify_second_factor(user, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `token`: the confirmed authenticator's current code, or one of the
    user's recovery codes (used up by this). None when neither does."""
    device = confirmed_totp_device(user)
    if device is None:
        return None
    if verify_totp(device, token):
        return device
    recovery = recovery_device(user)
    code = (token or "").strip().replace(" ", "").replace("-", "").lower()
    if recovery is not None and code and not code.isdigit() and recovery.verify_token(code):
        return recovery
    return None


# --- Enrolment codes -------------------------------------------------------------------------------

def _normalised(code: str) -> str:
    return "".join(character for character in (code or "").upper() if character.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def issue_enrolment_code(user, *, issued_by=None, hours: int | None = None) -> tuple[str, EnrolmentCode]:
    """A new code for `user` (shown once: only its hash is kept); earlier unused codes stop working."""
    raw = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _index in range(ENROLMENT_CODE_LENGTH))
    code = "-".join(raw[start:start + 4] for start in range(0, ENROLMENT_CODE_LENGTH, 4))
    now = timezone.now()
    hours = settings.MFA_ENROLMENT_CODE_HOURS if hours is None else hours
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        record = EnrolmentCode.objects.create(user=user, code_hash=_hash(code), issued_by=issued_by,
                                              expires_at=now + datetime.timedelta(hours=hours))
    return code, record


def redeem_enrolment_code(user, code: str) -> bool:
    """Use up a valid, unexpired code of `user`; False (and nothing used) otherwise."""
    if len(_normalised(code)) != ENROLMENT_CODE_LENGTH:
        return False
    now = timezone.now()
    used = EnrolmentCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True,
                                        expires_at__gt=now).update(used_at=now)
    return used == 1


def start_enrolment(user) -> TOTPDevice:
    """A new unconfirmed authenticator with a fresh secret (any earlier unconfirmed one is dropped)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def pending_enrolment_device(user, device_id) -> TOTPDevice | None:
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()


def confirm_enrolment(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator (it replaces any other) and return new recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return issue_recovery_codes(device.user)


def reset_second_factor(user) -> None:
    """Forget the user's authenticator and recovery codes: the next log-in needs an enrolment code."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# --- Recovery codes --------------------------------------------------------------------------------

def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).first()


def issue_recovery_codes(user) -> list[str]:
    """RECOVERY_CODES new codes; the earlier ones stop working. Shown once: returned, never listed again."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                              defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = set()
        while len(codes) < RECOVERY_CODES:
            code = StaticToken.random_token()
            if not code.isdigit():  # a code of digits only would be taken for a one-time password
                codes.add(code)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


# --- Showing a secret ------------------------------------------------------------------------------

def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URI, so enrolment needs no external service."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)
