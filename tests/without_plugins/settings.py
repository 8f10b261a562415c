"""Oversight's settings with plug-ins removed, to prove the site works without them.

OVERSIGHT_REMOVE_APPS (comma-separated) names the apps to leave out; the outer test in
tests/architecture/test_plugins_removable.py runs tests/without_plugins/ under each set.
"""

import os

from config import settings as _base

for _name in dir(_base):
    if _name.isupper():
        globals()[_name] = getattr(_base, _name)

REMOVED_APPS = [app for app in os.environ.get("OVERSIGHT_REMOVE_APPS", "").split(",") if app]
INSTALLED_APPS = [app for app in _base.INSTALLED_APPS if app not in REMOVED_APPS]
