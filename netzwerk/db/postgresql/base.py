"""PostgreSQL (psycopg 3) that fails fast during an outage (netzwerk/db/outage.py)."""

from django.db.backends.postgresql import base

from ..outage import OutageAwareConnectMixin


class DatabaseWrapper(OutageAwareConnectMixin, base.DatabaseWrapper):
    pass
