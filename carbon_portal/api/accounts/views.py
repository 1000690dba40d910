"""API login and tokens.

`POST /api/v1/auth/token` with {username, password, otp?} -> {token, id, expiry}: verifiers,
government users and administrators must add the current one-time password of their
authenticator (TOTP, django-otp). Failed attempts, including wrong one-time passwords, count
towards the django-axes lockout (AXES_FAILURE_LIMIT failures lock the username from that
address for AXES_COOLOFF_TIME); every attempt counts towards the limit per client address
(THROTTLE_TOKEN_RATE). Both answer 429 with Retry-After.

`GET /api/v1/auth/tokens` lists the caller's tokens (never the tokens themselves),
`DELETE /api/v1/auth/tokens/<id>` revokes one, `POST /api/v1/auth/logout` the one in use and
`POST /api/v1/auth/logout-all` all of them (carbon_portal/api/accounts/tokens.py).
"""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, logout, user_logged_in, user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon_portal.api.fields import AsciiIntegerField
from carbon_portal.core.errors import NotFound, PermissionDenied

from ..errors import errors
from ..throttling import TokenThrottle
from . import tokens


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(required=False, allow_blank=True, help_text=_(
        "The current one-time password: required for verifiers, government users and administrators."))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    id = serializers.CharField(help_text=_("The token's id, to list and revoke it."))
    expiry = serializers.DateTimeField(allow_null=True, help_text=_("When the token stops working."))


class TokenInfoSerializer(serializers.Serializer):
    id = serializers.CharField(source="token_key", help_text=_("The first characters of the token."))
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(help_text=_("Whether this request came with this token."))

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class LoginErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(help_text=_(
        "invalid_credentials, otp_required, otp_invalid, mfa_not_configured, locked_out; or the code of any bad "
        "request (invalid, control_character, too_deep, ...)."))


def _refuse(message, code, status_code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": str(message), "code": code}, status=status_code)


def _locked_out() -> Response:
    response = _refuse(_("Too many failed login attempts: this account is locked for a while."),
                       "locked_out", status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(max(1, int(float(settings.AXES_COOLOFF_TIME) * 3600)))
    return response


def _verify_otp(user, token: str) -> tuple[bool, str]:
    """(verified, problem). Tries each confirmed device of the user; a device's own throttling
    (more delay after each wrong code) is respected."""
    token = token.strip().replace(" ", "")
    throttled = False
    for device in devices_for_user(user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(token):
            return True, ""
    if throttled:
        return False, str(_("Too many wrong one-time passwords: wait a little and try the next one."))
    return False, str(_("The one-time password is wrong or has already been used."))


class TokenLoginApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: LoginErrorSerializer, 429: LoginErrorSerializer},
        description=str(_("Exchange credentials (and, where the role requires it, a one-time password) for "
                          "an API token. 400 with a code saying what is wrong; 429 when locked out.")),
    )
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        if not payload.is_valid():
            return _refuse(_("Send username and password (and otp where your role requires it)."), "invalid")
        data = payload.validated_data
        http_request = request._request  # django-axes and the auth signals work on Django's request
        user = authenticate(http_request, username=data["username"], password=data["password"])
        if getattr(http_request, "axes_locked_out", False):
            # Answered here, in JSON; otherwise AxesMiddleware would replace it with its HTML page.
            http_request.axes_locked_out = False
            return _locked_out()
        if user is None:
            return _refuse(_("The username or password is wrong."), "invalid_credentials")
        if user.requires_mfa:
            if not any(True for _device in devices_for_user(user, confirmed=True)):
                return _refuse(_("Your role requires a one-time password, but no authenticator is set up: "
                                 "enrol one in the portal first."), "mfa_not_configured")
            otp = data.get("otp", "")
            if not otp:
                return _refuse(_("Your role requires a one-time password: add \"otp\" with the current code "
                                 "from your authenticator."), "otp_required")
            verified, problem = _verify_otp(user, otp)
            if not verified:
                user_login_failed.send(sender=__name__, credentials={"username": data["username"]},
                                       request=http_request)
                if getattr(http_request, "axes_locked_out", False):
                    http_request.axes_locked_out = False
                    return _locked_out()
                return _refuse(problem, "otp_invalid")
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        instance, token = tokens.issue(user)
        return Response({"token": token, "id": instance.token_key,
                         "expiry": serializers.DateTimeField().to_representation(instance.expiry)
                         if instance.expiry else None})


def _person(request):
    """The signed-in person (a device key has no tokens to manage)."""
    if not isinstance(request.user, get_user_model()):
        raise PermissionDenied(_("Only people have API tokens."))
    return request.user


class TokenListApi(APIView):
    @extend_schema(operation_id="auth_tokens_list", responses={200: TokenInfoSerializer(many=True), **errors(401, 403)},
                   description=str(_("The caller's API tokens that have not expired: id, created, expiry; never "
                                     "the tokens themselves.")))
    def get(self, request):
        rows = tokens.active_tokens(_person(request))
        return Response(TokenInfoSerializer(rows, many=True, context={"request": request}).data)


class TokenRevokeApi(APIView):
    @extend_schema(operation_id="auth_tokens_revoke", responses={204: None, **errors(401, 403, 404)},
                   description=str(_("Revoke one of the caller's API tokens: it stops working at once.")))
    def delete(self, request, token_id):
        if not tokens.revoke(_person(request), token_id):
            raise NotFound(_("No such token."))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutApi(APIView):
    @extend_schema(operation_id="auth_logout", request=None, responses={204: None, **errors(401)},
                   description=str(_("Revoke the token this request came with (or end the browser session).")))
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        elif isinstance(request.user, get_user_model()):
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllSerializer(serializers.Serializer):
    revoked = AsciiIntegerField(help_text=_("How many tokens were revoked."))


class LogoutAllApi(APIView):
    @extend_schema(operation_id="auth_logout_all", request=None, responses={200: LogoutAllSerializer, **errors(401, 403)},
                   description=str(_("Revoke every API token of the caller.")))
    def post(self, request):
        return Response({"revoked": tokens.revoke_all(_person(request))})
