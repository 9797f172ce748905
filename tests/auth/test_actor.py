"""The actor belongs to auth/: no import cycle through the sessions service, and no admin by default."""

from __future__ import annotations

import subprocess
import sys

from service.auth.actor import Actor


def test_an_actor_is_not_an_admin_unless_told():
    assert Actor(name="key:abc", owner="key:abc").is_admin is False


def test_the_identity_module_does_not_pull_in_the_sessions_service():
    code = "import sys, service.auth.identity; print('service.sessions.service' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
