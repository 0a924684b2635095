from django.contrib.admin.apps import AdminConfig


class FleetAdminConfig(AdminConfig):
    """django.contrib.admin, with fleetadmin's site as `admin.site` (every app's `@admin.register` lands there)."""

    default_site = "fleetadmin.admin_site.FleetAdminSite"
