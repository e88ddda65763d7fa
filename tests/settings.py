"""The test suite's settings: Khamrap's own, in development mode (a key of this machine's, local hosts).

Production mode is tested by running the settings or a command with a production environment of its own.
"""

import os

os.environ["KHAMRAP_ENV"] = "development"

from khamrap.settings import *  # noqa: F403
