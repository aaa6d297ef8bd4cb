import pytest


@pytest.fixture(autouse=True)
def _no_login_checks(settings):
    """The second factor is tested alone: the habilitation gate has its own tests."""
    settings.APART_LOGIN_CHECKS = []
