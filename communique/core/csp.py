"""Content-Security-Policy for every page, from django-csp. Reader and portal pages get the strict
policy in settings.CONTENT_SECURITY_POLICY: nothing but this site's own files, no inline script or
style unless it carries the request's nonce. Wagtail's admin has inline scripts and style attributes
in its own templates (panels, date widgets), so under /admin/ the policy in
settings.COMMUNIQUE_ADMIN_CSP allows inline code but is otherwise as tight: same origin only, no
plugins, no foreign forms, framed only by the site itself (the preview panel)."""
from django.conf import settings
from csp.middleware import CSPMiddleware, PolicyParts


def _admin_prefix() -> str:
    return getattr(settings, "COMMUNIQUE_ADMIN_PREFIX", "/admin/")


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(_admin_prefix()):
            parts.config = settings.COMMUNIQUE_ADMIN_CSP
        return parts
