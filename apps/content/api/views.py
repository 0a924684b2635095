from rest_framework import serializers

from apps.core.api.views import OperationView

from .. import services
from ..models import Language, Localization


class LocalizationOut(serializers.ModelSerializer):
    lang = serializers.CharField(source="language.iso_639_1")

    class Meta:
        model = Localization
        fields = ["key", "value", "lang", "updated_at"]


class LanguageOut(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["id", "iso_639_1", "name"]


class LocalizationCollection(OperationView):
    operations = {"GET": "listLocalizations", "PUT": "upsertLocalization"}
    output_serializers = {"GET": LocalizationOut}
    queryset = Localization.objects.select_related("language")

    def get(self, request):
        return self.respond_list(self.get_queryset().filter(language__iso_639_1=self.query["lang"].lower()))

    def put(self, request):
        self.check_in_scope(services.localization_upsert(
            key=self.body["key"], value=self.body["value"], lang=self.body["lang"]))
        return self.respond()


class LanguageCollection(OperationView):
    operations = {"GET": "listLanguages", "POST": "createLanguage"}
    output_serializers = {"GET": LanguageOut}
    queryset = Language.objects.all()

    def get(self, request):
        return self.respond_list(self.get_queryset())

    def post(self, request):
        self.check_in_scope(services.language_create(iso_639_1=self.body["iso_639_1"], name=self.body["name"]))
        return self.respond()
