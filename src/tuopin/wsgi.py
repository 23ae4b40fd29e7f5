"""WSGI entry point (gunicorn tuopin.wsgi): Django behind the forest's flash door."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.settings")
django_application = get_wsgi_application()

from tuopin.forest.door import flash_door  # noqa: E402  (after Django is set up)

application = flash_door(django_application)
