import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English msgids; the Russian catalogue is built later.
    settings.LANGUAGE_CODE = "en"
