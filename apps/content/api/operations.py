"""The content operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, param, string

declare("listLocalizations", "GET", "/localizations",
        api="dashboard", tag="Localizations", access="permission", permission="app.label",
        summary="Get localizations",
        description="Get the list of localizations for the specified language.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get localizations."),
        ))

declare("upsertLocalization", "PUT", "/localizations",
        api="dashboard", tag="Localizations", access="permission", permission="app.label", write=True,
        summary="Create or update localization",
        description="Create a new localization for the specified type and lang, update if already exist.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(min_length=1, max_length=100), required=True,
                  doc="The key of the localization."),
            param("value", "body", string(), required=True, doc="The value of the localization."),
            param("lang", "body", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the localization."),
        ))

declare("listLanguages", "GET", "/languages",
        api="dashboard", tag="Localizations", access="permission", permission="app.label",
        summary="Get languages",
        description="Get the list of available languages.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createLanguage", "POST", "/languages",
        api="dashboard", tag="Localizations", access="permission", permission="app.label", write=True,
        summary="Create language",
        description="Create a new language for the specified ISO639-1 lang code and name.",
        response_sample='{ "code": 0 }',
        params=(
            param("iso_639_1", "body", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="ISO639-1 key of the language."),
            param("name", "body", string(max_length=50), required=True, doc="The name of the language."),
        ))
