"""Sign-in and sign-out for the public site (the author portal sends people here). Django's own
views do the work (safe `next` handling, session rotation, CSRF); these only give them the reader
site's templates, and let a GET on the sign-out address show a button instead of a 405, because
signing out must stay a POST (a link or an <img> must not be able to sign someone out)."""
from django.contrib.auth import views as auth_views
from django.shortcuts import render


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html", {
            "next": self.get_redirect_url() or "",
        })


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once an account is locked for this address (AXES_LOCKOUT_CALLABLE):
    a page of the site saying how long to wait, status 429, on the site's sign-in and the admin's."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(request, "registration/locked_out.html", {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": minutes,
    }, status=429)
