"""Settings for worker processes the tests start: the test process's own test database."""

import os

from amparo.config.settings import *  # noqa: F403
from amparo.config.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["AMPARO_TEST_DATABASE_NAME"]
