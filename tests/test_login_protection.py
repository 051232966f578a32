"""Admin logins: locked after repeated failures, strong passwords, sessions that end."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def try_login(client, password):
    return client.post(
        reverse("admin:login"), {"username": "alice", "password": password, "next": "/admin/"}, REMOTE_ADDR="192.0.2.5"
    )


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, "falsch").status_code == 200  # the form again, with an error
    assert try_login(client, "falsch").status_code == 429
    locked = try_login(client, "alice-password-123")
    assert locked.status_code == 429
    assert "gesperrt" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_axes_reset_unlocks_the_login(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "falsch")
    call_command("axes_reset_username", "alice", verbosity=0)
    assert try_login(client, "alice-password-123").status_code == 302


def test_a_successful_login_works_and_forgets_earlier_failures(client, coordinator):
    try_login(client, "falsch")
    assert try_login(client, "alice-password-123").status_code == 302


@pytest.mark.parametrize("password", ["kurz", "1234567890123", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_admin_sessions_end():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
