from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.core.api.params import CatalogSerializer
from apps.core.api.views import OperationView
from apps.networks.models import Network, ThirdParty
from apps.pricing.models import format_hod

from .. import services
from ..models import EnrolmentRequest, Organization, OrganizationRule

RATIO = {"max_digits": 5, "decimal_places": 4, "coerce_to_string": False}


class OrganizationOut(serializers.ModelSerializer):
    paid_outside_rules_ratio = serializers.DecimalField(**RATIO)
    member_count = serializers.IntegerField(source="members.count")

    class Meta:
        model = Organization
        fields = ["id", "name", "description", "third_party_id", "administrator_id", "is_guarantor",
                  "allow_outside_rules", "paid_outside_rules_ratio", "only_show_matching_clusters", "email_pattern",
                  "pays_rule_overrun", "reenrolment_frequency_in_days", "manual_approbation",
                  "enable_enrolment_token", "enrolment_token", "enrolment_custom_field", "member_count", "created_at"]


class RuleOut(serializers.ModelSerializer):
    start_hod = serializers.SerializerMethodField()
    end_hod = serializers.SerializerMethodField()
    paid_by_org_ratio = serializers.DecimalField(**RATIO)

    class Meta:
        model = OrganizationRule
        fields = ["id", "organization_id", "network_id", "rule_name", "network_name", "start_dow", "start_hod",
                  "end_dow", "end_hod", "max_vehicles", "paid_by_org_ratio"]

    def get_start_hod(self, rule) -> str:
        return format_hod(rule.start_hod)

    def get_end_hod(self, rule) -> str:
        return format_hod(rule.end_hod)


class EnrolmentRequestOut(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="rider_id")
    email = serializers.EmailField(source="rider.email")

    class Meta:
        model = EnrolmentRequest
        fields = ["id", "user_id", "email", "custom_field_answer", "status", "created_at", "answered_at",
                  "reject_reason", "revoke_at"]


USERS = get_user_model().objects.filter(is_active=True)


class CreateOrganizationBody(CatalogSerializer):
    operation_id = "createOrganization"
    references = {"third_party_id": ThirdParty.objects.all(), "administrator_id": USERS}


class AdministratorBody(CatalogSerializer):
    operation_id = "updateOrganizationAdministrator"
    references = {"administrator_id": USERS}


class CreateRuleBody(CatalogSerializer):
    operation_id = "createOrganizationRule"
    references = {"network_id": Network.objects.all()}


class UpdateRuleBody(CatalogSerializer):
    operation_id = "updateOrganizationRule"
    references = {"network_id": Network.objects.all()}


class OrganizationCollection(OperationView):
    operations = {"GET": "listOrganizations", "POST": "createOrganization"}
    body_serializers = {"POST": CreateOrganizationBody}
    output_serializers = {"GET": OrganizationOut, "POST": OrganizationOut}
    queryset = Organization.objects.all()

    def get(self, request):
        return self.respond_list(self.get_queryset().order_by("name", "id"))

    def post(self, request):
        values = dict(self.body)
        organization = services.organization_create(third_party=values.pop("third_party_id"),
                                                    administrator=values.pop("administrator_id"), **values)
        # A new organization must be one the caller manages (its unit names it): only global holders create them.
        return self.respond_object(self.check_in_scope(organization))


class OrganizationView(OperationView):
    queryset = Organization.objects.all()

    def organization(self) -> Organization:
        return self.get_object(pk=self.kwargs["id"])


class OrganizationDetail(OrganizationView):
    operations = {"GET": "getOrganization", "PUT": "updateOrganization"}
    output_serializers = {"GET": OrganizationOut}

    def get(self, request, id):
        return self.respond_object(self.organization())

    def put(self, request, id):
        services.organization_update(organization=self.organization(), name=self.body["name"],
                                     only_show_matching_clusters=self.body["only_show_matching_clusters"],
                                     **self.given("description"))
        return self.respond()


class OrganizationRules(OrganizationView):
    operations = {"GET": "listOrganizationRules", "POST": "createOrganizationRule"}
    body_serializers = {"POST": CreateRuleBody}
    output_serializers = {"GET": RuleOut, "POST": RuleOut}

    def get(self, request, id):
        self.require_networks(self.query["networks"])
        rules = self.organization().rules.filter(network_id__in=self.query["networks"])
        return self.respond_list(rules)

    def post(self, request, id):
        values = dict(self.body)
        rule = services.rule_save(organization=self.organization(), network=values.pop("network_id"), **values)
        return self.respond_object(self.check_in_scope(rule))


class OrganizationRuleDetail(OrganizationView):
    operations = {"PUT": "updateOrganizationRule", "DELETE": "deleteOrganizationRule"}
    body_serializers = {"PUT": UpdateRuleBody}

    def rule(self) -> OrganizationRule:
        # Scoped by the rule's own network too: a shared organization's rules of another network are not found.
        return self.get_object(pk=self.kwargs["rid"], queryset=self.scoped(self.organization().rules.all()))

    def put(self, request, id, rid):
        values = dict(self.body)
        rule = services.rule_save(organization=self.organization(), rule=self.rule(),
                                  network=values.pop("network_id"), **values)
        self.check_in_scope(rule)  # not moved into a network the caller does not hold
        return self.respond()

    def delete(self, request, id, rid):
        self.rule().delete()
        return self.respond()


class OrganizationEnrolment(OrganizationView):
    operations = {"PUT": "updateOrganizationEnrolment"}

    def put(self, request, id):
        services.enrolment_update(
            organization=self.organization(), email_pattern=self.body["email_pattern"],
            reenrolment_frequency_in_days=self.body["reenrolment_frequency_in_days"],
            manual_approbation=self.body["manual_approbation"],
            enable_enrolment_token=self.body["enable_enrolment_token"],
            enrolment_custom_field=self.body["enrolment_custom_field"])
        return self.respond()


class OrganizationAdministrator(OrganizationView):
    operations = {"PUT": "updateOrganizationAdministrator"}
    body_serializers = {"PUT": AdministratorBody}

    def put(self, request, id):
        services.administrator_update(organization=self.organization(), administrator=self.body["administrator_id"])
        return self.respond()


class OrganizationPayments(OrganizationView):
    operations = {"PUT": "updateOrganizationPayments"}

    def put(self, request, id):
        services.payments_update(
            organization=self.organization(), is_guarantor=self.body["is_guarantor"],
            allow_outside_rules=self.body["allow_outside_rules"],
            paid_outside_rules_ratio=self.body["paid_outside_rules_ratio"],
            pays_rule_overrun=self.body["pays_rule_overrun"])
        return self.respond()


class EnrolmentRequests(OrganizationView):
    operations = {"GET": "listOrganizationEnrolmentRequests"}
    output_serializers = {"GET": EnrolmentRequestOut}

    def get(self, request, id):
        return self.respond_list(self.organization().enrolment_requests.select_related("rider"))


class EnrolmentRequestAnswer(OrganizationView):
    operations = {"PUT": "answerOrganizationEnrolmentRequest"}

    def put(self, request, id, enrolment_id):
        enrolment = self.get_object(pk=enrolment_id, queryset=self.organization().enrolment_requests.all())
        services.enrolment_answer(request=enrolment, actor=request.user, accept=self.body["accept"],
                                  reject_reason=self.body.get("reject_reason"), revoke_at=self.body.get("revoke_at"))
        return self.respond()
