"""The faq operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, param, string

COLORS = ("primary", "secondary", "tertiary", "quaternary", "success", "warn", "danger", "white")

# How a FAQ content is drawn, created or changed alike.
CONTENT_STYLE = (
    param("replacements", "body",
              array(string(enum=("app-label", "support-email", "support-phone")), unique=True),
          doc="The variables to use in the text as replacements."),
    param("bold", "body", boolean(), required=True, doc="Whether or not to display the text in bold."),
    param("margin", "body", string(pattern=r"^\d{1,3},\d{1,3},\d{1,3},\d{1,3}$"),
          doc="The margin to apply around the content."),
    param("text_color", "body", string(enum=COLORS),
          doc="The color of the text if different than the default one."),
    param("bullet_color", "body", string(enum=COLORS),
          doc="The color of the bullet point. Required for content of type bullet-point, ignored otherwise."),
)


declare("createFaqCategory", "POST", "/faq/categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Create category",
        description="Create a new FAQ category.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.categories\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this category."),
        ))

declare("updateFaqCategory", "PUT", "/faq/categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update category",
        description="Update a FAQ category.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.categories\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this category."),
            param("sort_order", "body", integer(minimum=0, maximum=32767), required=True,
                  doc="The order in which the elements should be displayed."),
        ))

declare("deleteFaqCategory", "DELETE", "/faq/categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Delete category",
        description="Delete a FAQ category. It should not have any sub-categories.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "query", string(pattern=r"^faq\.[0-9]+\.categories\.[a-z0-9-]+$"), required=True,
                  doc="Key of the category to delete."),
        ))

declare("updateFaqCategoryName", "PUT", "/faq/categories/names/{lang}",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update category name",
        description="Update a FAQ category name.",
        response_sample='{ "code": 0 }',
        params=(
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The lang in which to update the name."),
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.categories\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this category."),
            param("name", "body", string(min_length=1, max_length=100), required=True,
                  doc="The name of the category."),
        ))

declare("createFaqSubCategory", "POST", "/faq/sub-categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Create sub-category",
        description="Create a new FAQ sub-category.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("key", "body",
                  string(pattern=r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this sub-category."),
            param("replacements", "body",
                  array(string(enum=("app-label", "support-email", "support-phone")), unique=True),
                  doc="The variables to use in the text as replacements."),
            param("category", "body", string(pattern=r"^faq\.[0-9]+\.categories\.[a-z0-9-]+$"), required=True,
                  doc="The key of the category in which to put this sub-category."),
            param("is_spacer", "body", boolean(), doc="Set to true to set this as a spacer."),
        ))

declare("updateFaqSubCategory", "PUT", "/faq/sub-categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update sub-category",
        description="Update a FAQ sub-category.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body",
                  string(pattern=r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this sub-category."),
            param("sort_order", "body", integer(minimum=0, maximum=32767), required=True,
                  doc="The order in which the elements should be displayed."),
            param("replacements", "body",
                  array(string(enum=("app-label", "support-email", "support-phone")), unique=True),
                  doc="The variables to use in the text as replacements."),
        ))

declare("deleteFaqSubCategory", "DELETE", "/faq/sub-categories",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Delete sub-category",
        description="Delete a FAQ sub-category. It should not have any content.",
        response_sample='{ "code": -39999999, "message": {...} }',
        params=(
            param("key", "query",
                  string(pattern=r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="Key of the sub-category to delete."),
        ))

declare("updateFaqSubCategoryName", "PUT", "/faq/sub-categories/names/{lang}",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update sub-category name",
        description="Update a FAQ sub-category name.",
        response_sample='{ "code": 0 }',
        params=(
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The lang in which to update the name."),
            param("key", "body",
                  string(pattern=r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this sub-category."),
            param("name", "body", string(min_length=1, max_length=100), required=True,
                  doc="The name of the category."),
        ))

declare("createFaqContent", "POST", "/faq/contents",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Create content",
        description="Create a new FAQ content.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this content."),
            *CONTENT_STYLE,
            param("sub_category", "body",
                  string(pattern=r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The sub-category for this content."),
            param("type", "body", string(enum=("text", "formatted-text", "bullet-point")), required=True,
                  doc="The type of content."),
        ))

declare("updateFaqContent", "PUT", "/faq/contents",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update content",
        description="Update a FAQ content.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this content."),
            param("sort_order", "body", integer(minimum=0, maximum=32767), required=True,
                  doc="The order in which the elements should be displayed."),
            *CONTENT_STYLE,
        ))

declare("deleteFaqContent", "DELETE", "/faq/contents",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Delete content",
        description="Delete a FAQ content.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "query", string(pattern=r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="Key of the content to delete."),
        ))

declare("updateFaqContentText", "PUT", "/faq/contents/texts/{lang}",
        api="dashboard", tag="FAQ", access="permission", permission="faq", write=True,
        summary="Update content text",
        description="Update a FAQ content text.",
        response_sample='{ "code": 0 }',
        params=(
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The lang in which to update the content."),
            param("key", "body", string(pattern=r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$"), required=True,
                  doc="The unique key of this content."),
            param("content", "body", string(min_length=1), required=True, doc="The new text of the content."),
        ))

declare("listFaqLanguages", "GET", "/app-labels/{app_label_id}/faq-languages",
        api="dashboard", tag="FAQ", access="permission", permission="faq",
        summary="Get faq languages",
        description="Get languages of the faq of the specified app label.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))
