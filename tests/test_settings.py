import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def run_check(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = run_check(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="wegweiser.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_unclear_debug_value_is_refused():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be" in result.stderr


def test_production_with_secret_key_starts():
    key = secrets.token_urlsafe(50)
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="wegweiser.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "geheim",  # short
        "x" * 60,  # long, but one character
        "abcd" * 20,  # four different characters
        "django-insecure-" + secrets.token_urlsafe(50),  # Django's startproject key, left in by mistake
    ],
)
def test_production_with_a_weak_secret_key_refuses_to_start(key):
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="wegweiser.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert key not in result.stderr  # the key itself is never printed


def test_development_accepts_any_secret_key():
    assert run_check(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="geheim").returncode == 0


def test_german_and_berlin_time_are_the_defaults():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"


def test_database_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
