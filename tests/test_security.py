"""Security headers and the production settings check."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.django_db


def test_public_pages_allow_only_our_own_scripts_and_styles(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_allows_inline_styles_but_never_inline_scripts(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy


def test_error_pages_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/articles/nulle-part/")


@pytest.mark.parametrize("https, clean", [("1", True), ("0", False)])
def test_deploy_check_is_clean_only_behind_https(https, clean, tmp_path):
    environment = {
        **os.environ,
        "DJANGO_HTTPS": https,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 10 + "-production-secret-key-with-enough-entropy-0123456789",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode == 0) is clean, result.stdout + result.stderr
    if not clean:
        assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout
