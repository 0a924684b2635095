"""OpenAPI generation: operation ids, tags and texts from the catalog; every response inside the envelope."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from apps.core.catalog import get_operation

ERROR_SCHEMA_NAME = "ErrorEnvelope"
ERROR_STATUSES = {
    "400": "Validation error (code -2): `message.fields` names each rejected parameter.",
    "401": "Not authenticated (code -3).",
    "403": "Permission or network scope missing (code -4).",
    "404": "Unknown id, or outside the networks the caller may see (code -5).",
    "409": "A business rule forbids the action (code -6, told apart by `message.key`).",
}


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
            kind = {"integer": int, "number": float}.get(param.constraint.kind, str)
            parameters.append(OpenApiParameter(param.name, kind, OpenApiParameter.PATH, description=param.doc))
        return parameters

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
        error_ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
        for status, description in ERROR_STATUSES.items():
            if status == "401" and operation.access == "public":
                continue
            responses[status] = {"content": {"application/json": {"schema": error_ref}}, "description": description}
        return responses


    def _mobile_response_bodies(self, direction):
        """The riders' API: {"Result": "Ok", "Data": ...} or {"Result": "Error", "ErrorCode", "Message"}."""
        properties = {"Result": {"type": "string", "enum": ["Ok"]}}
        serializer = (getattr(self.view, "output_serializers", {}) or {}).get(self.method)
        if serializer is not None or '"Data"' in (self._catalog_operation().response_sample or ""):
            properties["Data"] = {"type": "object"}
        responses = {"200": {"content": {"application/json": {"schema": {
            "type": "object", "properties": properties, "required": ["Result"]}}}, "description": "Success."}}
        error_ref = {"$ref": f"#/components/schemas/{MOBILE_ERROR_SCHEMA_NAME}"}
        for status, description in MOBILE_ERROR_STATUSES.items():
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


def add_error_components(result, generator, request, public):
    """Postprocessing hook: the error envelope every operation refers to."""
    from apps.core.api.error_keys import BUSINESS_RULE_KEYS

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
