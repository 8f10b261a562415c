"""WSGI entry point for load runs (gunicorn), with tests/bench/load_settings.py."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.load_settings")
application = get_wsgi_application()
