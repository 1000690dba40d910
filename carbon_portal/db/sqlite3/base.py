"""Django's SQLite backend, making the database file's folder when it first opens the database.

The embedded default keeps its database in var/ (CARBON_PORTAL_VAR_DIR), which a fresh checkout
does not have yet; importing the settings makes no folder, opening the database does.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            Path(self.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
