import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
application = get_wsgi_application()
# gunicorn loads this module in each worker before the worker takes a connection: resolve an address now, which
# imports every app's urls and views and builds the resolver, so the first visitor after a restart does not wait for
# that (about 260 ms of a 450 ms first page on this machine).
reverse("home")
