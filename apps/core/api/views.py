"""The base every dashboard endpoint is declared on.

A view names the catalog operations it serves per HTTP method and, where needed, the serializers that refine
the generated ones. The base does the rest, in this order: authentication (-3), the catalog's access rule
(-4), validation of path, query and body parameters (-2), then the handler, whose querysets are restricted
to the caller's scope (objects outside it are -5). Views cannot override `get_queryset`, so scoping
cannot be forgotten; they refine `get_base_queryset` instead.
"""
from __future__ import annotations

from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Q
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.core.catalog import Operation, get_operation
from apps.core.models import UNSET
from apps.core.permissions import forget_grants, resolve_scope

from apps.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from apps.core.filters import equals_any
from . import idempotency
from .metadata import CatalogMetadata
from .pagination import Page, keyset_page
from .params import catalog_serializer


class OperationView(GenericAPIView):
    operations: ClassVar[dict[str, str]] = {}
    # Optional refinements of the generated serializers, per HTTP method.
    body_serializers: ClassVar[dict[str, type]] = {}
    query_serializers: ClassVar[dict[str, type]] = {}
    # What `data` holds, per HTTP method (the schema shows it inside the envelope).
    output_serializers: ClassVar[dict[str, Any]] = {}
    # Public sort keys of a keyset-paginated list -> model fields.
    sort_fields: ClassVar[dict[str, str]] = {}
    # False only for operations whose rows belong to no tenant (the permission list, the role list): the
    # key still decides who may call them, but every caller sees the same rows.
    restrict_queryset: ClassVar[bool] = True
    pagination_class = None
    filter_backends: ClassVar[list] = []
    metadata_class = CatalogMetadata
    operation: Operation | None = None
    # Methods that accept an `Idempotency-Key` header (money-moving writes; apps.core.api.idempotency).
    idempotent_methods: ClassVar[tuple[str, ...]] = ()
    # Methods whose handler calls a payment provider between commits of its own (apps.payments.attempts): not run in
    # one transaction, which would hold the provider's call inside it; each of their steps is all or nothing.
    stepped_methods: ClassVar[tuple[str, ...]] = ()
    idempotency = None  # the request's Idempotency-Key claim, where it sent one

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} overrides get_queryset; refine get_base_queryset() so scoping stays applied")
        if cls.operations:
            cls.http_method_names = [m.lower() for m in cls.operations] + ["options"]

    # --- request lifecycle -------------------------------------------------------------------------
    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS") or request.method in self.stepped_methods:
            return super().dispatch(request, *args, **kwargs)
        # A write is all or nothing: any error answer (validation, scope, business rule, crash) rolls back
        # what the handler wrote, including an object saved outside the caller's scope.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def initial(self, request, *args, **kwargs):
        operation_id = self.operations.get(request.method)
        self.operation = get_operation(operation_id) if operation_id else None
        super().initial(request, *args, **kwargs)
        if self.operation is None:
            return
        self.kwargs.update(self._validate("path", self.kwargs))
        self.query = self._validate("query", request.query_params)
        self.body = self._validate("body", request.data) if self._expects_body() else {}
        if request.method in self.idempotent_methods:
            # After validation (bad input is refused whatever the key), before the handler runs.
            raw = request.data if isinstance(request.data, (dict, list)) else None
            if request.method in self.stepped_methods:
                self.idempotency = idempotency.claim_stepped(request._request, request.user, operation_id, raw)
                return
            self.idempotency = idempotency.claim(request._request, request.user, operation_id, raw)
            idempotency.replay_if_answered(self.idempotency)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        self.failed_with = exc  # what the answer reports, whichever envelope renders it
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "idempotency", None)
        idempotency.remember(record, response)
        if request.method in self.stepped_methods:
            failure_key = getattr(getattr(self, "failed_with", None), "key", None)
            idempotency.release_failed(record, response, provider_pending=failure_key == "payment_provider.pending")
        return response

    def perform_authentication(self, request):
        super().perform_authentication(request)
        # Grants are resolved once per request; a user object reused across requests starts afresh.
        forget_grants(request.user)
        # The access log middleware sees only the Django request; tell it who the API authenticated.
        if request.user and request.user.is_authenticated:
            request._request.api_user_id = request.user.pk

    def _expects_body(self) -> bool:
        return bool(self.operation.params_in("body")) or self.operation.body_content_type is not None

    def serializer_class_for(self, location: str, method: str | None = None):
        method = method or self.request.method
        declared = {"body": self.body_serializers, "query": self.query_serializers}.get(location, {})
        return declared.get(method) or catalog_serializer(self.operations[method], location)

    def get_serializer_class(self):
        # Used by the browsable API to draw the request form of each method.
        method = self.request.method if self.request else None
        if method in self.operations and get_operation(self.operations[method]).params_in("body"):
            return self.serializer_class_for("body", method)
        return serializers.Serializer

    def _validate(self, location: str, data) -> dict:
        # No body at all (DRF then parses `{}`) is refused like `null` where the seed requires a JSON body;
        # otherwise an operation whose fields are all optional would take an empty request as a no-op success.
        no_json_body = self.operation.body_content_type == "application/json" and self.request.stream is None
        if location == "body" and (data is None or no_json_body):
            raise ValidationFailed.on("body", "A JSON object is required.")
        serializer = self.serializer_class_for(location)(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def given(self, *names) -> dict:
        """The body's optional fields: their values, UNSET for those not sent (a partial update changes only what it
        names; None is a value)."""
        return {name: self.body.get(name, UNSET) for name in names}

    # --- scope ---------------------------------------------------------------------------------------
    @property
    def scope(self):
        return resolve_scope(self.request.user, self.operation.permission, write=self.operation.write)

    def get_base_queryset(self):
        assert self.queryset is not None, f"{type(self).__name__} declares no queryset"
        return self.queryset.all()

    def get_queryset(self, *, networks=None):
        """The operation's rows inside the caller's scope; `networks`: the caller limits them to these networks
        itself (RestrictedQuerySet.restrict)."""
        queryset = self.get_base_queryset()
        # Operations any logged-in user may call but whose catalog row still names a key (getVehicleQrCode)
        # read only rows inside that key's scope: being logged in must not reveal another tenant's vehicles.
        restricted = self.operation is not None and self.operation.permission and self.operation.access in (
            "permission", "authenticated")
        if restricted and self.restrict_queryset:
            queryset = self.scoped(queryset, networks=networks)
        return queryset

    def scoped(self, queryset, *, networks=None):
        """Any other model's rows, limited to the scope of this operation's key (e.g. a vehicle's trips in the
        networks the caller sees, when the vehicle once belonged to another)."""
        return queryset.restrict(self.request.user, self.operation.permission, write=self.operation.write,
                                 networks=networks)

    def get_object(self, pk: int | None = None, queryset=None):
        """The object named by the path (or `pk`) inside the caller's scope, else -5."""
        if pk is None:
            pk = next(self.kwargs[p.name] for p in self.operation.params_in("path"))
        queryset = self.get_queryset() if queryset is None else queryset
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise NotFound(f"No {queryset.model._meta.verbose_name} with id {pk}.")
        return obj

    def check_in_scope(self, instance):
        """After a create or a move: the saved object must be inside the caller's write scope, else -4.

        Runs inside the write's transaction, so a refused object is rolled back with everything else.
        """
        model = type(instance)
        visible = model._default_manager.restrict(self.request.user, self.operation.permission, write=True)
        if not visible.filter(pk=instance.pk).exists():
            raise PermissionDenied(f"This {model._meta.verbose_name} would be outside what you may change.")
        return instance

    def visible_networks(self):
        """The networks the caller's grant of this operation covers; None when it covers every network."""
        return None if self.scope.everything else self.scope.networks

    def require_visible(self, queryset, pk: int, field: str) -> None:
        """An id in the query naming a row outside the caller's scope is answered like an unknown id (-2 naming
        `field`), as body references are (apps.core.api.references)."""
        if not self.scoped(queryset).filter(pk=pk).exists():
            raise ValidationFailed.on(field, f"No {queryset.model._meta.verbose_name} with id {pk}.")

    def require_global_scope(self) -> None:
        """For operations on data of no tenant (e.g. the ERP's companies): a global grant is needed."""
        if not self.scope.everything:
            raise PermissionDenied("This operation needs a global grant of its permission.")

    def require_networks(self, network_ids) -> None:
        """Requests naming networks outside the caller's scope are refused as a whole (-4)."""
        if not self.scope.covers(network_ids):
            raise PermissionDenied("You have no access to some of the requested networks.")

    def get_network_queryset(self, *, id_ordered: bool = False, networks=None):
        """The scoped queryset limited to the `networks` the query names, all of which must be in scope (-4).

        `id_ordered`: the page will be ordered by id. The networks are then matched with `= ANY` rather than `IN`, so
        PostgreSQL keeps one network's page on its (network, id) index instead of walking the primary key past every
        other network's newer rows (core.filters.equals_any). Ordered by another column, `IN` is right: its constant
        network lets the (network, column, id) indexes give the order. `networks`: some of the asked ones (one
        network's part of a page merged from several: keyset_page's `parts`)."""
        networks = self.query["networks"] if networks is None else networks
        self.require_networks(networks)
        queryset = self.get_queryset(networks=networks)
        matching = equals_any(queryset.model, "network_id", networks) if id_ordered else Q(network_id__in=networks)
        return queryset.filter(matching)

    # --- responses -----------------------------------------------------------------------------------
    def output_serializer(self, instance, *, many: bool = False, **kwargs):
        serializer_class = self.output_serializers[self.request.method]
        return serializer_class(instance, many=many, context=self.get_serializer_context(), **kwargs)

    def respond(self, data=None, *, status: int = 200) -> Response:
        return Response(data, status=status)

    def respond_object(self, instance) -> Response:
        return Response(self.output_serializer(instance).data)

    def respond_list(self, rows) -> Response:
        return Response(self.output_serializer(rows, many=True).data)

    def respond_page(self, queryset, *, total: int | None = None, constant: str | None = None, present=None,
                     sort_below: int | None = None, bare=None, parts=None, spread=None) -> Response:
        """One keyset page; `present(rows)` turns plain rows (of a `values()` or `values_list()` queryset, the id
        first) into the output without a serializer per row."""
        query = self.query
        if query.get("sort_by") and "primary_key_dir" not in self.request.query_params:
            # Ties of a sort key go by id in the sort's direction unless the caller chose: one direction for both
            # columns is what a (key, id) index serves without sorting (docs/api.md, "Pagination").
            query = {**query, "primary_key_dir": query.get("sort_dir") or "DESC"}
        page: Page = keyset_page(queryset, query, self.sort_fields, total=total, constant=constant,
                                 sort_below=sort_below, bare=bare, parts=parts, spread=spread)
        response = Response(present(page.rows)) if present is not None else self.respond_list(page.rows)
        response.total = page.total
        return response


class FileOperationView(OperationView):
    """An operation whose success is a file (image, PDF) chosen from the Accept header; errors stay JSON.

    `file_types` says, per method, the content types it answers (shown in the OpenAPI schema).
    """

    file_types: ClassVar[dict[str, list[str]]] = {}

    def perform_content_negotiation(self, request, force=False):
        # Accept: image/svg+xml names no JSON renderer; that must not turn into a 406 before the view runs.
        return super().perform_content_negotiation(request, force=True)
