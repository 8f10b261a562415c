from django.contrib.admin.apps import AdminConfig


class OversightAdminConfig(AdminConfig):
    """django.contrib.admin with Oversight's site: throttled login, editors' dashboard."""

    default_site = "config.admin.OversightAdminSite"
