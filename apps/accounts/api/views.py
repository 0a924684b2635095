from django.contrib.auth import logout as django_logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.schema import ERROR_SCHEMA_NAME
from apps.core.net import client_ip

from .. import services
from ..models import AuthToken


ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
LOGIN_ERRORS = {
    400: "Validation error (code -2).",
    401: "Wrong email or password (code -3, `auth.invalid_credentials`).",
    413: "Body too large (code -9).",
    415: "Body of another content type than JSON (code -9).",
    429: "Too many failed attempts (code -8, `auth.too_many_failures`); see Retry-After.",
}


class LoginBody(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


@extend_schema(tags=["Auth"])
class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="login",
        request=LoginBody,
        responses={
            200: inline_serializer("LoginEnvelope", {"code": serializers.IntegerField(), "data": TokenOut()}),
            **{status: OpenApiResponse(ERROR_REF, description=text) for status, text in LOGIN_ERRORS.items()},
        },
        auth=[],
    )
    def post(self, request):
        body = LoginBody(data=request.data)
        body.is_valid(raise_exception=True)  # the shared handler turns it into -2 naming the fields
        raw, token = services.login(
            email=body.validated_data["email"],
            password=body.validated_data["password"],
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            request=request._request,
        )
        request._request.api_user_id = token.user_id
        return Response({"token": raw, "expires_at": token.expires_at})


@extend_schema(tags=["Auth"])
class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="logout", request=None,
                   responses=inline_serializer("LogoutEnvelope", {"code": serializers.IntegerField()}))
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.logout(token=request.auth)
        else:
            # Session login (browsable API): logging out ends the session.
            django_logout(request._request)
        return Response()
