"""The API IoT gateways and providers call (`/api/telemetry/v1`, docs/telemetry.md): batches of messages in, the
vehicles' answers to commands in. A provider authenticates with its bearer token (`TelemetryProvider`) and reaches
only the vehicles whose device it fitted. Answers use the dashboard's envelope (`code`, `data`, `message`).

The body is read with orjson rather than through DRF's parsers: the dashboard's parser reads numbers as Decimal for
money, which a position does not need, and a batch of 1,000 messages parses several times faster (bench/telemetry.py).
"""
from __future__ import annotations

from datetime import timedelta

import orjson
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import hash_token
from apps.core.exceptions import NotAuthenticated, ValidationFailed
from apps.fleet.commands import command_answer
from apps.fleet.models import IotCommand

from ..ingestion import ingest
from ..messages import MAX_BATCH, SCHEMA
from ..models import TelemetryProvider

MAX_ANSWERS = 1000
TAG = "Telemetry (gateways)"


def provider_of(request) -> TelemetryProvider:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("A telemetry provider's bearer token is required.")
    provider = TelemetryProvider.objects.filter(key_hash=hash_token(token.strip()), revoked_at__isnull=True).first()
    if provider is None:
        raise NotAuthenticated("Unknown or revoked telemetry provider token.")
    now = timezone.now()
    if provider.last_used_at is None or provider.last_used_at < now - timedelta(minutes=1):
        TelemetryProvider.objects.filter(pk=provider.pk).update(last_used_at=now)
    return provider


def json_list(request, name: str, limit: int) -> list:
    """The body's `name`: a list of 1 to `limit` items, else -2 naming it."""
    try:
        body = orjson.loads(request.body or b"null")
    except orjson.JSONDecodeError:
        raise ValidationFailed.on("body", "A JSON object is required.") from None
    if not isinstance(body, dict):
        raise ValidationFailed.on("body", "A JSON object is required.")
    unknown = sorted(body.keys() - {name})
    if unknown:
        raise ValidationFailed.on(unknown[0], "Unknown field.")
    items = body.get(name)
    if not isinstance(items, list) or not 1 <= len(items) <= limit:
        raise ValidationFailed.on(name, f"A list of 1 to {limit} items is required.")
    return items


class GatewayView(APIView):
    """Authenticated by the provider's token, not by a staff member's: no DRF authentication, no catalog access."""

    authentication_classes: list = []
    permission_classes: list = []
    parser_classes: list = []


class Refusal(serializers.Serializer):
    index = serializers.IntegerField(help_text="Its place in the list, from 0.")
    id = serializers.CharField(allow_null=True, help_text="Its id, where it had a readable one.")
    reason = serializers.CharField(help_text="The field and what is wrong with it.")


class MessageBatch(GatewayView):
    @extend_schema(
        operation_id="ingestTelemetry", tags=[TAG], summary="Report a batch of vehicle messages",
        description=(
            "Up to 1,000 messages of the provider's vehicles. Each is kept once (same id and time), in the history "
            "partitioned by day; the newest becomes the vehicle's state unless a newer one is there already; the alert "
            "rules run on the new states. A bad message is refused on its own, with its index and reason; the others "
            "are kept. Authorization: `Bearer <provider token>`."),
        request={"application/json": {"type": "object", "required": ["messages"], "properties": {
            "messages": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH, "items": SCHEMA}}}},
        responses={200: inline_serializer("TelemetryOutcome", {
            "accepted": serializers.IntegerField(help_text="New messages kept."),
            "duplicates": serializers.IntegerField(help_text="Messages kept before (sent again)."),
            "rejected": Refusal(many=True)}),
            400: OpenApiResponse(description="No `messages` list of 1 to 1,000 items (code -2)."),
            401: OpenApiResponse(description="No or an unknown provider token (code -3).")})
    def post(self, request):
        provider = provider_of(request)
        outcome = ingest(provider=provider, batch=json_list(request, "messages", MAX_BATCH))
        return Response({"accepted": outcome.accepted, "duplicates": outcome.duplicates,
                         "rejected": outcome.rejected})


class CommandAnswers(GatewayView):
    @extend_schema(
        operation_id="answerVehicleCommands", tags=[TAG], summary="Report the vehicles' answers to commands",
        description=(
            "Whether each command (by the id it was sent with) was carried out. An answer to a command still waiting "
            "settles it; one after the command gave up is noted as late; a repeated answer changes nothing. Commands "
            "of vehicles whose device is another provider's are refused one by one, as unknown."),
        request={"application/json": {"type": "object", "required": ["answers"], "properties": {"answers": {
            "type": "array", "minItems": 1, "maxItems": MAX_ANSWERS, "items": {
                "type": "object", "required": ["command", "carried_out"], "additionalProperties": False,
                "properties": {"command": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                               "carried_out": {"type": "boolean"},
                               "error": {"type": "string", "maxLength": 200}}}}}}},
        responses={200: inline_serializer("CommandAnswersOutcome", {
            "settled": serializers.IntegerField(), "rejected": Refusal(many=True)})})
    def post(self, request):
        provider = provider_of(request)
        answers = json_list(request, "answers", MAX_ANSWERS)
        valid, rejected = {}, []
        for index, answer in enumerate(answers):
            reason = _answer_problem(answer)
            if reason:
                rejected.append({"index": index, "id": None, "reason": reason})
            else:
                valid[index] = answer
        mine = set(IotCommand.objects.filter(
            pk__in=[a["command"] for a in valid.values()], vehicle__telemetry_device__provider=provider)
            .values_list("pk", flat=True))
        settled = 0
        for index, answer in valid.items():
            if answer["command"] not in mine:
                rejected.append({"index": index, "id": str(answer["command"]),
                                 "reason": "command: no command to a vehicle of this provider."})
                continue
            command_answer(command_id=answer["command"], carried_out=answer["carried_out"],
                           error=answer.get("error") or "")
            settled += 1
        return Response({"settled": settled, "rejected": sorted(rejected, key=lambda r: r["index"])})


def _answer_problem(answer) -> str | None:
    if not isinstance(answer, dict):
        return "An answer is a JSON object."
    unknown = sorted(answer.keys() - {"command", "carried_out", "error"})
    if unknown:
        return f"{unknown[0]}: unknown field."
    command = answer.get("command")
    if isinstance(command, bool) or not isinstance(command, int) or not 1 <= command < 2**63:
        return "command: required, a command id."
    if not isinstance(answer.get("carried_out"), bool):
        return "carried_out: required, true or false."
    error = answer.get("error")
    if error is not None and (not isinstance(error, str) or len(error) > 200):
        return "error: at most 200 characters."
    return None
