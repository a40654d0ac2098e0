"""Break 9: no login throttling (60 wrong passwords, then the right one worked) and only a length
check on passwords ("password" was accepted). Django's four password validators apply, and
django-axes locks an account out from an address after a few wrong passwords, on the site's
sign-in and on Wagtail's admin login alike, until the cool-off has passed."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGINS = {"site": "login", "admin": "wagtailadmin_login"}


@pytest.mark.parametrize("weak", ["password", "12345678901", "short-1", "edna-edna"])
def test_weak_passwords_are_refused(django_user_model, weak):
    user = django_user_model(username="edna-edna", email="edna@example.org")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_all_four_standard_validators_are_on():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator",
                     "CommonPasswordValidator", "NumericPasswordValidator"}


def test_admin_refuses_to_create_a_user_with_password_password(client, admin_user, django_user_model):
    client.force_login(admin_user)
    response = client.post(reverse("wagtailusers_users:add"), {
        "username": "newbie", "email": "newbie@example.org", "first_name": "New", "last_name": "Bie",
        "password1": "password", "password2": "password",
    })
    assert response.status_code == 200, "the form must come back with an error, not save"
    assert not django_user_model.objects.filter(username="newbie").exists()
    assert "too common" in response.content.decode()


def _post(client, which, username, password):
    return client.post(reverse(LOGINS[which]), {"username": username, "password": password, "next": "/portal/"},
                       REMOTE_ADDR="203.0.113.7")


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("which", LOGINS)
def test_wrong_passwords_lock_out_then_right_one_fails_until_cooloff(client, editor, which):
    from axes.models import AccessAttempt

    limit = settings.AXES_FAILURE_LIMIT
    assert 3 <= limit <= 10
    for _ in range(limit - 1):
        response = _post(client, which, "edna", "wrong-guess")
        assert response.status_code == 200 and not _signed_in(client)
    locked = _post(client, which, "edna", "wrong-guess")
    assert locked.status_code == 429, locked.status_code
    assert "Too many sign-in attempts" in locked.content.decode()

    right = _post(client, which, "edna", "pw-edna-123")
    assert right.status_code == 429 and not _signed_in(client), "the right password must not work while locked"

    # Another account from the same address, and this account from elsewhere, are not locked.
    other = client.post(reverse(LOGINS[which]), {"username": "edna", "password": "pw-edna-123"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302 and _signed_in(client)
    client.logout()

    # After the cool-off the right password works again (and resets the count).
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    after = _post(client, which, "edna", "pw-edna-123")
    assert after.status_code == 302 and _signed_in(client)
    assert not AccessAttempt.objects.filter(username="edna").exists()


def test_lockout_is_shared_between_site_and_admin_logins(client, editor):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "site" if i % 2 else "admin", "edna", "wrong-guess")
    assert _post(client, "admin", "edna", "pw-edna-123").status_code == 429
    assert _post(client, "site", "edna", "pw-edna-123").status_code == 429


def test_forwarded_for_is_ignored_unless_proxies_are_configured(client, editor, settings):
    """Rotating X-Forwarded-For must not buy fresh attempts."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "edna", "password": "x"}, REMOTE_ADDR="203.0.113.7",
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert client.post(reverse("login"), {"username": "edna", "password": "pw-edna-123"}, REMOTE_ADDR="203.0.113.7",
                       HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
