"""Amparo's settings with CONN_MAX_AGE from AMPARO_BENCH_CONN_MAX_AGE, for api_create.py.

Used only when api_create.py is given --conn-max-age, to compare the production setting
(persistent connections, 60 s) with connections closed at the end of each request.
"""

import os

from amparo.config.settings import *  # noqa: F403
from amparo.config.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["AMPARO_BENCH_CONN_MAX_AGE"])
