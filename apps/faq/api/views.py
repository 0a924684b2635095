from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.views import OperationView

from .. import services
from ..models import FaqCategory, FaqContent, FaqSubCategory, FaqTranslation


class ElementOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    app_label_id = serializers.IntegerField()
    sort_order = serializers.IntegerField()


class FaqView(OperationView):
    """FAQ operations name elements by key; the app label in the key decides the scope."""

    queryset = AppLabel.objects.all()

    def labels(self):
        return self.get_queryset()  # the app labels the caller may change (write scope) or read



class CategoryView(FaqView):
    operations = {"POST": "createFaqCategory", "PUT": "updateFaqCategory", "DELETE": "deleteFaqCategory"}
    output_serializers = {"POST": ElementOut}

    def post(self, request):
        return self.respond_object(services.category_create(key=self.body["key"], labels=self.labels()))

    def put(self, request):
        services.element_update(model=FaqCategory, key=self.body["key"], labels=self.labels(),
                                sort_order=self.body["sort_order"])
        return self.respond()

    def delete(self, request):
        services.element_delete(model=FaqCategory, key=self.query["key"], labels=self.labels())
        return self.respond()


class SubCategoryView(FaqView):
    operations = {"POST": "createFaqSubCategory", "PUT": "updateFaqSubCategory", "DELETE": "deleteFaqSubCategory"}
    output_serializers = {"POST": ElementOut}

    def post(self, request):
        return self.respond_object(services.sub_category_create(
            labels=self.labels(), key=self.body["key"], replacements=self.body.get("replacements", ()),
            category=self.body["category"], is_spacer=self.body.get("is_spacer", False)))

    def put(self, request):
        services.element_update(model=FaqSubCategory, key=self.body["key"], labels=self.labels(),
                                sort_order=self.body["sort_order"], **self.given("replacements"))
        return self.respond()

    def delete(self, request):
        services.element_delete(model=FaqSubCategory, key=self.query["key"], labels=self.labels())
        return self.respond()


class ContentView(FaqView):
    operations = {"POST": "createFaqContent", "PUT": "updateFaqContent", "DELETE": "deleteFaqContent"}
    output_serializers = {"POST": ElementOut}

    def post(self, request):
        return self.respond_object(services.content_create(
            labels=self.labels(), key=self.body["key"], replacements=self.body.get("replacements", ()),
            bold=self.body["bold"], margin=self.body.get("margin"), text_color=self.body.get("text_color"),
            bullet_color=self.body.get("bullet_color"), sub_category=self.body["sub_category"],
            type=self.body["type"]))

    def put(self, request):
        services.element_update(model=FaqContent, key=self.body["key"], labels=self.labels(),
                                sort_order=self.body["sort_order"], bold=self.body["bold"],
                                **self.given("replacements", "margin", "text_color", "bullet_color"))
        return self.respond()

    def delete(self, request):
        services.element_delete(model=FaqContent, key=self.query["key"], labels=self.labels())
        return self.respond()


class TranslationView(FaqView):
    model = None
    text_field = "name"

    def put(self, request, lang):
        services.translation_set(model=self.model, key=self.body["key"], lang=lang, text=self.body[self.text_field],
                                 labels=self.labels())
        return self.respond()


class CategoryName(TranslationView):
    operations = {"PUT": "updateFaqCategoryName"}
    model = FaqCategory


class SubCategoryName(TranslationView):
    operations = {"PUT": "updateFaqSubCategoryName"}
    model = FaqSubCategory


class ContentText(TranslationView):
    operations = {"PUT": "updateFaqContentText"}
    model = FaqContent
    text_field = "content"


class FaqLanguages(OperationView):
    """The languages in which the app label's FAQ has a name or a text."""

    operations = {"GET": "listFaqLanguages"}
    output_serializers = {"GET": {"type": "array", "items": {"type": "string", "description": "ISO 639-1 code."}}}
    queryset = AppLabel.objects.all()

    def get(self, request, app_label_id):
        label = self.get_object()
        languages = (FaqTranslation.objects.filter(app_label=label).order_by("lang").values_list("lang", flat=True)
                     .distinct())
        return self.respond(list(languages))
