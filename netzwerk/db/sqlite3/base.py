"""SQLite that fails fast when its file cannot be opened (netzwerk/db/outage.py)."""

from django.db.backends.sqlite3 import base

from ..outage import OutageAwareConnectMixin


class DatabaseWrapper(OutageAwareConnectMixin, base.DatabaseWrapper):
    pass
