import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.production")
application = get_wsgi_application()

# Page-cached responses are answered here, before Django's handler and middleware run.
from communique.magazine.served_from_cache import wrap  # noqa: E402  (needs the settings above)

application = wrap(application)
