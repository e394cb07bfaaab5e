"""Alembic environment.

The connection comes from, in order: ``config.attributes["connection"]`` (the migration
tests hand one in), the Flask app's engine (``flask --app app db ...``), or the
``sqlalchemy.url`` option.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Engine, engine_from_config, pool

import models
from models import search_index, text_search
from models.base import UTCDateTime

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_metadata = models.Base.metadata


def _flask_engine():  # type: ignore[no-untyped-def]
    try:
        from flask import current_app

        return current_app.extensions["migrate"].db.engine
    except (ImportError, RuntimeError, KeyError):
        return None


def render_item(type_: str, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write the project's UTCDateTime as a plain timezone-aware DateTime, so revisions
    do not import application code that may change after them."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Skip the search indexes and their FTS5 shadow tables: not models, built by hand per
    engine (models/search_index.py, revision 0004; models/text_search.py, revision 0037)."""
    unmodelled = search_index.is_index_table(name) or text_search.is_index_table(name)
    return not (type_ == "table" and reflected and compare_to is None and unmodelled)


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        include_object=include_object,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        compare_server_default=True,
        # SQLite runs DDL inside transactions too (SQLAlchemy emits BEGIN itself, see
        # models/base.py), so a failed migration leaves nothing half-done on either engine.
        transactional_ddl=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    """Run the migrations on ``connection``.

    On SQLite, foreign-key enforcement is off while migrating (batch mode rebuilds tables
    by copy, drop and rename, which enforcement would refuse), and the data is checked
    against every foreign key before the transaction commits.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(f"migration left rows violating foreign keys: {problems[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool) -> None:  # type: ignore[no-untyped-def]
    # PRAGMA foreign_keys is a no-op inside a transaction: set it on the raw connection,
    # which runs outside SQLAlchemy's transaction.
    if connection.in_transaction():
        connection.commit()
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):
        with connection.connect() as conn:
            _run(conn)
        return
    if connection is not None:
        _run(connection)
        return
    engine = _flask_engine() or engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
