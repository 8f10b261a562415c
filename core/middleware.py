"""Response headers every page carries that Django's SecurityMiddleware does not write."""

from django.conf import settings


def permissions_policy_middleware(get_response):
    """Permissions-Policy: turn off the browser features the site never uses."""
    header = ", ".join(
        f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
    )

    def middleware(request):
        response = get_response(request)
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
