"""Fail fast while the database is away: one connect timeout per outage and worker, not one per query.

When opening a connection fails (refused, timed out, no such database), the process
remembers it for settings.DATABASE_RETRY_SECONDS. Every connection attempt in that time
fails at once with the same OperationalError class, so the request answers 503 without
waiting for the connect timeout again (DatabaseUnavailableMiddleware / handler500).
After that time one request tries again; the first success ends the outage.

The state is per process (each gunicorn worker finds out for itself, once) and per
database server and name, so a failing connection to one database never blocks another.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("netzwerk.db")

_lock = threading.Lock()
# (host, port, name) -> {"until": monotonic deadline, "error": str}
_outages = {}


def retry_seconds():
    return getattr(settings, "DATABASE_RETRY_SECONDS", 5)


def _key(settings_dict):
    return (settings_dict.get("HOST") or "", str(settings_dict.get("PORT") or ""), settings_dict.get("NAME") or "")


def is_fast_failure(exception):
    """True for the error raised without trying, while an outage is known (no need to log it again)."""
    while exception is not None:
        if getattr(exception, "database_outage_known", False):
            return True
        exception = exception.__cause__
    return False


def down_for(settings_dict):
    """Seconds until the next attempt when this database is known to be away, else 0."""
    outage = _outages.get(_key(settings_dict))
    if outage is None:
        return 0
    return max(0.0, outage["until"] - time.monotonic())


def any_known():
    """True while any database this process uses is known to be away."""
    now = time.monotonic()
    return any(outage["until"] > now for outage in list(_outages.values()))


def forget():
    """Forget every known outage (tests; a fresh start)."""
    with _lock:
        _outages.clear()


class OutageAwareConnectMixin:
    """For a DatabaseWrapper: refuse to connect while an outage is known; remember failures."""

    def get_new_connection(self, conn_params):
        key = _key(self.settings_dict)
        remaining = down_for(self.settings_dict)
        if remaining:
            error = self.Database.OperationalError(
                f"database unavailable (last error: {_outages[key]['error']}); next attempt in {remaining:.1f} s"
            )
            error.database_outage_known = True
            raise error
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.OperationalError as error:
            seconds = retry_seconds()
            with _lock:
                new = key not in _outages
                _outages[key] = {"until": time.monotonic() + seconds, "error": str(error).strip().splitlines()[0]
                                 if str(error).strip() else type(error).__name__}
            if new:
                logger.error("Database %s unreachable: %s; answering 503 at once for %s s before trying again",
                             key[2] or key[0], _outages[key]["error"], seconds)
            raise
        if key in _outages:
            with _lock:
                _outages.pop(key, None)
            logger.warning("Database %s reachable again", key[2] or key[0])
        return connection
