"""The riders' app organizations: the ones a rider may join by his e-mail, joining (by token or e-mail), his own."""
from __future__ import annotations

from apps.core.api.mobile import MobileError, MobileOperationView


def _membership(organization, status: str) -> dict:
    return {"OrganizationId": organization.pk, "Name": organization.name, "Status": status}


class JoinableOrganizations(MobileOperationView):
    operations = {"GET": "listJoinableOrganizations"}

    def get(self, request):
        from apps.organizations.services import joinable_organizations

        joinable = joinable_organizations(rider=request.user).order_by("name", "id")
        return self.respond([{"OrganizationId": o.pk, "Name": o.name, "Description": o.description,
                              "ApprovedByHand": o.manual_approbation, "Question": o.enrolment_custom_field}
                             for o in joinable])


class JoinOrganization(MobileOperationView):
    operations = {"POST": "joinOrganization"}

    def post(self, request):
        from apps.organizations.models import Organization
        from apps.organizations.services import enrolment_join

        token, organization_id = self.body.get("EnrolmentToken"), self.body.get("OrganizationId")
        if (token is None) == (organization_id is None):
            raise MobileError("err_InvalidElement", "Give either EnrolmentToken or OrganizationId.", 400)
        organization, pending = enrolment_join(
            rider=request.user, token=token, answer=self.body.get("Answer", ""),
            organization=Organization.objects.filter(pk=organization_id).first() if organization_id else None)
        return self.respond(_membership(organization, "pending" if pending is not None else "member"))


class RiderOrganizations(MobileOperationView):
    operations = {"GET": "listRiderOrganizations"}

    def get(self, request):
        from apps.organizations.models import EnrolmentRequest

        member = [_membership(o, "member") for o in request.user.organizations.order_by("name", "id")]
        waiting = [_membership(r.organization, "pending") for r in EnrolmentRequest.objects.filter(
            rider=request.user, status=EnrolmentRequest.Status.PENDING).select_related("organization")
            .order_by("organization__name", "id")]
        return self.respond(member + waiting)
