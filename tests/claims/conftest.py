import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Attachments are written under a per-test MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
