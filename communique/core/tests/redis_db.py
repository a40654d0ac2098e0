"""Redis databases that tests may empty. `dev.py test` runs its two passes at once, each with its
own COMMUNIQUE_TEST_REDIS_SHIFT, so one pass's FLUSHDB never empties a database the other is using."""
import os

from django.conf import settings


def redis_test_url(number):
    """REDIS_URL's server with database `number` (11 to 15) moved by the pass's shift."""
    shifted = number + int(os.environ.get("COMMUNIQUE_TEST_REDIS_SHIFT", "0"))
    return settings.REDIS_URL.rsplit("/", 1)[0] + f"/{shifted}"
