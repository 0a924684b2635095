"""OpenAPI generation: operation ids, tags and texts from the catalog; every response inside the envelope."""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from apps.core.api.error_keys import BUSINESS_RULE_KEYS
from apps.core.catalog import get_operation

from .params import bounded, UniqueItemsValidator

ERROR_SCHEMA_NAME = "ErrorEnvelope"
ERROR_STATUSES = {
    "400": "Validation error (code -2): `message.fields` names each rejected parameter.",
    "401": "Not authenticated (code -3); on a public operation, a malformed or unknown bearer token.",
    "403": "Permission or network scope missing (code -4).",
    "404": "Unknown id, or outside the networks the caller may see (code -5).",
    "409": "A business rule forbids the action (code -6, told apart by `message.key`).",
}
QUERY_ERROR_STATUSES = {
    "414": "Query string longer than the server takes (code -9, `payload.query_too_long`; MAX_QUERY_STRING bytes).",
}
BODY_ERROR_STATUSES = {
    "413": "Body too large (code -9).",
    "415": "Body of another content type than the operation takes (code -9).",
}
THROTTLED_OPERATIONS = {"login"}


class NumberFieldSchema(OpenApiSerializerFieldExtension):
    """A catalog number with the bounds it is validated with."""

    target_class = "apps.core.api.params.NumberField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "number"}
        if self.target.min_value is not None:
            schema["minimum"] = float(self.target.min_value)
            if self.target.exclusive_min:
                schema["exclusiveMinimum"] = True  # OpenAPI 3.0's form
        if self.target.max_value is not None:
            schema["maximum"] = float(self.target.max_value)
        return schema


class UniqueItemsListSchema(OpenApiSerializerFieldExtension):
    """Lists whose items must be unique say so (`uniqueItems`), as they are validated."""

    target_class = "rest_framework.serializers.ListField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if any(isinstance(v, UniqueItemsValidator) for v in self.target.validators):
            schema["uniqueItems"] = True
        return schema


def constraint_schema(constraint) -> dict:
    """The OpenAPI schema of a scalar catalog constraint (path parameters)."""
    if constraint.kind == "integer":
        schema = {"type": "integer", "format": "int64"}
        if constraint.minimum is not None:
            schema["minimum"] = int(constraint.minimum)
        if constraint.maximum is not None:
            schema["maximum"] = int(constraint.maximum)
        return schema
    schema = {"type": "string"}
    if constraint.enum:
        schema["enum"] = list(constraint.enum)
    if constraint.fmt == "uuid":
        schema["format"] = "uuid"
    if constraint.fmt == "bigint":
        # An id written as a string (the seed's `string <bigint>`): digits, within a 64-bit integer.
        schema["pattern"] = r"^[0-9]{1,18}$"
    if constraint.pattern:
        schema["pattern"] = constraint.pattern
    if constraint.min_length is not None:
        schema["minLength"] = constraint.min_length
    if constraint.max_length is not None:
        schema["maxLength"] = constraint.max_length
    return schema


class CatalogAutoSchema(AutoSchema):
    def _catalog_operation(self):
        operations = getattr(self.view, "operations", None) or {}
        operation_id = operations.get(self.method)
        return get_operation(operation_id) if operation_id else None

    def get_operation_id(self):
        operation = self._catalog_operation()
        return operation.operation_id if operation else super().get_operation_id()

    def get_tags(self):
        operation = self._catalog_operation()
        return [operation.tag] if operation else super().get_tags()

    def get_summary(self):
        operation = self._catalog_operation()
        return operation.summary if operation else super().get_summary()

    def get_description(self):
        operation = self._catalog_operation()
        if not operation:
            return super().get_description()
        access = {
            "public": "Access: public.",
            "authenticated": "Access: any authenticated user.",
            "permission": f"Access: permission `{operation.permission}`" + (" with write." if operation.write else "."),
        }[operation.access]
        return f"{operation.description}\n\n{access}"

    def _get_serializer(self):
        # Catalog views have no single serializer_class; each location has its own (see OperationView).
        if self._catalog_operation() is not None:
            return self.get_request_serializer()
        return super()._get_serializer()

    def get_request_serializer(self):
        operation = self._catalog_operation()
        if operation is None:
            return super().get_request_serializer()
        if not operation.params_in("body"):
            return None
        return self.view.serializer_class_for("body", self.method)

    def map_parsers(self):
        operation = self._catalog_operation()
        if operation and operation.body_content_type:
            return [operation.body_content_type]
        return super().map_parsers()

    def get_override_parameters(self):
        operation = self._catalog_operation()
        if operation is None:
            return super().get_override_parameters()
        parameters = []
        if operation.params_in("query"):
            parameters.append(self.view.serializer_class_for("query", self.method))
        for param in operation.params_in("path"):
            parameters.append(OpenApiParameter(param.name, constraint_schema(bounded(param.constraint, param.name)),
                                               OpenApiParameter.PATH, description=param.doc))
        return parameters

    def get_auth(self):
        # Public operations need no credentials (a malformed Authorization header is still refused: 401).
        operation = self._catalog_operation()
        if operation is not None and operation.access == "public":
            return []
        return super().get_auth()

    def _get_response_bodies(self, direction="response"):
        operation = self._catalog_operation()
        if operation is None:
            return super()._get_response_bodies(direction)
        if operation.api == "mobile":
            return self._mobile_response_bodies(direction)
        properties = {"code": {"type": "integer", "enum": [0], "description": "0 on success."}}
        serializer = (getattr(self.view, "output_serializers", {}) or {}).get(self.method)
        if serializer is not None:
            rendered = self._get_response_for_code(serializer, "200", direction=direction)
            data_schema = next(iter(rendered.get("content", {}).values()), {}).get("schema", {"type": "object"})
            if '"data": [' in operation.response_sample and data_schema.get("type") != "array":
                data_schema = {"type": "array", "items": data_schema}
            properties["data"] = data_schema
        elif operation.returns_data:
            properties["data"] = {"type": "integer"} if '"data": 1' in operation.response_sample else {}
        if operation.paginated:
            properties["total"] = {"type": "integer", "description": "Rows matching the filters, all pages together."}
        envelope = {"type": "object", "properties": properties, "required": sorted(set(properties) - {"total"})}
        responses = {"200": {"content": {"application/json": {"schema": envelope}}, "description": "Success."}}
        file_types = (getattr(self.view, "file_types", {}) or {}).get(self.method)
        if file_types:  # the success is a file; errors keep the envelope
            binary = {"type": "string", "format": "binary"}
            responses["200"] = {"content": {kind: {"schema": binary} for kind in file_types},
                                "description": "The file, in the first type the Accept header allows."}
        for kind, description in ((getattr(self.view, "also_as", {}) or {}).get(self.method) or {}).items():
            # The same success in another type the Accept header may ask for (a CSV of a long list).
            responses["200"]["content"][kind] = {"schema": {"type": "string", "description": description}}
        error_ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
        statuses = dict(ERROR_STATUSES)
        if operation.body_content_type:
            statuses.update(BODY_ERROR_STATUSES)
        if operation.params_in("query"):
            statuses.update(QUERY_ERROR_STATUSES)
        if operation.operation_id in THROTTLED_OPERATIONS:
            statuses["429"] = "Too many failed attempts (code -8, `auth.too_many_failures`); see Retry-After."
        for status, description in statuses.items():
            responses[status] = {"content": {"application/json": {"schema": error_ref}}, "description": description}
        return responses


    def _mobile_response_bodies(self, direction):
        """The riders' API: {"Result": "Ok", "Data": ...} or {"Result": "Error", "ErrorCode", "Message"}."""
        operation = self._catalog_operation()
        properties = {"Result": {"type": "string", "enum": ["Ok"]}}
        serializer = (getattr(self.view, "output_serializers", {}) or {}).get(self.method)
        sample = operation.response_sample or ""
        if serializer is not None:
            # `Data` as the operation's serializer says (a list where the sample shows one).
            rendered = self._get_response_for_code(serializer, "200", direction=direction)
            data = next(iter(rendered.get("content", {}).values()), {}).get("schema", {"type": "object"})
            if '"Data": [' in sample and data.get("type") != "array":
                data = {"type": "array", "items": data}
            properties["Data"] = data
        elif '"Data": [' in sample:
            properties["Data"] = {"type": "array", "items": {}}
        elif serializer is not None or '"Data"' in sample:
            properties["Data"] = {"type": "object"}
        responses = {"200": {"content": {"application/json": {"schema": {
            "type": "object", "properties": properties, "required": ["Result"]}}}, "description": "Success."}}
        error_ref = {"$ref": f"#/components/schemas/{MOBILE_ERROR_SCHEMA_NAME}"}
        for status, description in {**MOBILE_ERROR_STATUSES, **dict(operation.errors)}.items():
            responses[status] = {"content": {"application/json": {"schema": error_ref}}, "description": description}
        return responses


MOBILE_ERROR_SCHEMA_NAME = "MobileErrorEnvelope"
MOBILE_ERROR_STATUSES = {
    "400": "err_InvalidElement: an element is missing or malformed.",
    "401": "err_Generic: no rider for the token.",
    "403": "err_TripUserMismatch: the trip is another rider's.",
    "404": "err_NoTripFound, err_NoCouponFound.",
    "409": "err_CommunityMismatch, err_CouponEffectDates, err_PromotionsAlreadyApplied, err_CouponAlreadyApplyed, "
           "err_CouponAlreadyUsed (checked in this order).",
}


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def close_request_bodies(result, generator, request, public):
    """Postprocessing hook: request bodies refuse unknown fields (as the serializers do), and times are
    documented as they are written (`HH:MM:SS`, no offset: RFC 3339's `time` format would require one)."""
    schemas = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        for entry in path.values():
            if "application/json" in entry.get("requestBody", {}).get("content", {}):
                entry["requestBody"]["required"] = True  # no body at all is refused like `null`
            for content in entry.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                body = schemas.get(ref.rsplit("/", 1)[-1]) if ref else content.get("schema")
                if body is not None and body.get("type") == "object":
                    body["additionalProperties"] = False
    for node in _walk(result):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"
    return result


def add_error_components(result, generator, request, public):
    """Postprocessing hook: the error envelope every operation refers to."""

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[MOBILE_ERROR_SCHEMA_NAME] = {
        "type": "object",
        "required": ["Result", "ErrorCode", "Message"],
        "properties": {"Result": {"type": "string", "enum": ["Error"]}, "ErrorCode": {"type": "string"},
                       "Message": {"type": "string"}},
    }
    schemas[ERROR_SCHEMA_NAME] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "integer", "enum": [-1, -2, -3, -4, -5, -6, -7, -8, -9]},
            "message": {
                "type": "object",
                "required": ["key", "text"],
                "properties": {
                    "key": {
                        "type": "string",
                        "description": "Stable machine key. Business-rule keys (code -6): "
                        + ", ".join(f"`{k}`" for k in sorted(BUSINESS_RULE_KEYS)),
                    },
                    "text": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        "description": "Validation errors by parameter name (code -2 only).",
                    },
                },
            },
        },
    }
    return result
