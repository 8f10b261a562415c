"""The admin site: a throttled login form, and on the index the panels apps register.

Each app's admin.py registers its own dashboard panel with core.dashboard; this site
renders the ones the user may see, in order, and imports no app.
"""

from django.contrib import admin

from config.auth import ThrottledAdminAuthenticationForm
from core.dashboard import panels_for


class OversightAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def index(self, request, extra_context=None):
        context = {"dashboard": panels_for(request), **(extra_context or {})}
        return super().index(request, context)
