"""The Content-Security-Policy header: the browser runs no script and loads nothing but our own files.

A fixed header needs no library. Public pages carry no inline script or style at all; the admin's own
templates (Django's and ours) set inline style attributes, so only under /admin/ are inline styles allowed.
Scripts are never inline anywhere.
"""

from django.conf import settings

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
ADMIN_POLICY = BASE_POLICY | {"style-src": "'self' 'unsafe-inline'"}


def policy_header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


PUBLIC_HEADER = policy_header(BASE_POLICY)
ADMIN_HEADER = policy_header(ADMIN_POLICY)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_URL_PREFIX}"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = ADMIN_HEADER if admin else PUBLIC_HEADER
        return response
