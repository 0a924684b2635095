from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "apps.access"
    label = "access"
    verbose_name = "Access control"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from apps.core.permissions import grants_changed, register_grant_source
        from apps.fleet.models import Cluster
        from apps.networks.models import Network

        from .grants import dated_grants, grants_change_at, object_grants
        from .models import AccessGrant, OrganizationalUnit, Role

        register_grant_source(dated_grants, changes_at=grants_change_at)
        register_grant_source(object_grants)
        # What the grant sources read: any write drops every user's cached grants (apps.core.permissions). A new
        # network under an app-label grant, or a cluster, belongs to a scope from its creation on.
        for model in (AccessGrant, Role, OrganizationalUnit, Network, Cluster, UserObjectPermission,
                      GroupObjectPermission):
            post_save.connect(grants_changed, sender=model, dispatch_uid=f"grants-save-{model._meta.label}")
            post_delete.connect(grants_changed, sender=model, dispatch_uid=f"grants-delete-{model._meta.label}")
        for relation in (OrganizationalUnit.networks, OrganizationalUnit.clusters, OrganizationalUnit.organizations,
                         OrganizationalUnit.app_labels, get_user_model().groups):
            m2m_changed.connect(grants_changed, sender=relation.through,
                                dispatch_uid=f"grants-m2m-{relation.through._meta.label}")
