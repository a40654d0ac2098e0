import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

DEBUG = False
_tmp = Path(tempfile.mkdtemp(prefix="communique-test-"))
atexit.register(shutil.rmtree, _tmp, True)
MEDIA_ROOT = _tmp / "media"
PRIVATE_ROOT = _tmp / "private"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()  # WhiteNoise warns about a missing root; tests serve static files from the apps
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Jobs run inline in tests unless a test asks for a real backend.
COMMUNIQUE_JOBS_BACKEND = "inline"
TASKS = jobs_config.tasks_setting("inline")  # noqa: F405
COMMUNIQUE_JOBS_RETRY_SECONDS = 0
COMMUNIQUE_SCHEDULER_SECONDS = 0  # tests that need the scheduler start it themselves
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("init_command", None)  # noqa: F405
    # A file, not Django's shared-cache in-memory database: there a thread that reads while the
    # job or view-count thread writes fails at once with "table is locked" instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / "test.sqlite3")}  # noqa: F405
# No flushing thread or atexit flush in tests: tests flush explicitly (popularity.flush_now).
COMMUNIQUE_POPULARITY = {**COMMUNIQUE_POPULARITY, "BACKGROUND_FLUSH": False}  # noqa: F405
