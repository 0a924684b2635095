"""The riders' app organizations: the ones a rider may join by his e-mail, joining (by token or e-mail), his own."""
from __future__ import annotations

from apps.core.api.mobile import MobileError, MobileOperationView
from apps.organizations.models import EnrolmentRequest, Organization
from apps.organizations.services import enrolment_join, joinable_organizations


def _membership(organization, status: str) -> dict:
    return {"OrganizationId": organization.pk, "Name": organization.name, "Status": status}


class JoinableOrganizations(MobileOperationView):
    operations = {"GET": "listJoinableOrganizations"}

    def get(self, request):
        joinable = joinable_organizations(rider=request.user).order_by("name", "id")
        return self.respond([{"OrganizationId": o.pk, "Name": o.name, "Description": o.description,
                              "ApprovedByHand": o.manual_approbation, "Question": o.enrolment_custom_field}
                             for o in joinable])


class JoinOrganization(MobileOperationView):
    operations = {"POST": "joinOrganization"}

    def post(self, request, id):
        organization = Organization.objects.filter(pk=id).first()
        if organization is None:
            raise MobileError("err_OrganizationNotFound", "No organization you may join matches.", 404)
        joined, pending = enrolment_join(rider=request.user, organization=organization,
                                         answer=self.body.get("Answer", ""))
        return self.respond(_membership(joined, "pending" if pending is not None else "member"))


class JoinOrganizationByToken(MobileOperationView):
    operations = {"POST": "joinOrganizationByToken"}

    def post(self, request):
        joined, pending = enrolment_join(rider=request.user, token=self.body["EnrolmentToken"],
                                         answer=self.body.get("Answer", ""))
        return self.respond(_membership(joined, "pending" if pending is not None else "member"))


class RiderOrganizations(MobileOperationView):
    operations = {"GET": "listRiderOrganizations"}

    def get(self, request):
        member = [_membership(o, "member") for o in request.user.organizations.order_by("name", "id")]
        waiting = [_membership(r.organization, "pending") for r in EnrolmentRequest.objects.filter(
            rider=request.user, status=EnrolmentRequest.Status.PENDING).select_related("organization")
            .order_by("organization__name", "id")]
        return self.respond(member + waiting)
