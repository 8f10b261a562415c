"""The admin site: a throttled login form, and on the index the panels apps register.

Each app's admin.py registers its own dashboard panel with core.dashboard; this site
renders the ones the user may see, in order, and imports no app.
"""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path

from config import two_factor
from config.auth import ThrottledAdminAuthenticationForm
from core.dashboard import charts_for, panels_for


class OversightAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm
    login_template = "admin/oversight_login.html"

    def has_permission(self, request):
        """Staff, and verified with a second factor when their role requires one."""
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not two_factor.two_factor_required(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and not self.has_permission(request)
            and not two_factor.has_device(user)
        ):
            return redirect("admin:two-factor-setup")  # required to enrol: do that first
        return super().login(request, extra_context)

    def get_urls(self):
        setup = path("two-factor/", two_factor.setup, name="two-factor-setup")
        return [setup, *super().get_urls()]

    def index(self, request, extra_context=None):
        context = {
            "dashboard": panels_for(request),
            "dashboard_charts": charts_for(request),
            **(extra_context or {}),
        }
        return super().index(request, context)
