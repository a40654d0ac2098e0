"""The address a request came from, for login throttling (django-axes) and view counting. Only
REMOTE_ADDR unless the deployment says how many proxies it has in front
(COMMUNIQUE_TRUSTED_PROXIES): then the address the outermost trusted proxy saw, counted from the
right of X-Forwarded-For. The left-hand entries are whatever the client chose to send, so trusting
them would let anyone pose as a new address on every request."""
from django.conf import settings


def client_ip(request, proxies=None) -> str:
    if proxies is None:
        proxies = int(getattr(settings, "COMMUNIQUE_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""
