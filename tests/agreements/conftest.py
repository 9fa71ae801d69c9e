import pytest


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Contract scans go to the test's own temp folder, never the developer's var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
