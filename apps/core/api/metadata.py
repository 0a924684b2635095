"""OPTIONS answers: DRF's metadata, built from the catalog serializers without reaching any object.

DRF's SimpleMetadata calls `get_object()` to check PUT rights on the object; our views name their object
through the operation of the method, which an OPTIONS request has none of. What the form looks like does
not depend on the object, so it is described from the declared body serializer of each method.
"""
from rest_framework.metadata import SimpleMetadata


class CatalogMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        operations = getattr(view, "operations", None) or {}
        actions = {}
        for method in {"PUT", "POST", "PATCH"} & set(operations):
            serializer_class = view.serializer_class_for("body", method)
            actions[method] = self.get_serializer_info(serializer_class())
        return actions
