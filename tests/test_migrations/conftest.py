"""pytest-alembic fixtures: an empty database per test, on the engine the suite runs on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import Engine, create_engine

from app import MIGRATIONS_DIR
from tests.conftest import POSTGRES_URL, drop_postgres_database, reset_postgres_schema, sibling_postgres_database

MIGRATIONS_CHAIN_KEY = bytes(range(32))


@pytest.fixture
def alembic_config() -> Config:
    config = Config(str(Path(MIGRATIONS_DIR) / "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["skip_logging_config"] = True
    config.attributes["chain_key"] = MIGRATIONS_CHAIN_KEY  # revision 0025 re-keys the chains with it
    return config


@pytest.fixture(scope="session")
def migrations_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if POSTGRES_URL:
        url = sibling_postgres_database(POSTGRES_URL, "migrations")
        yield url
        drop_postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'migrations.db'}"


@pytest.fixture
def alembic_engine(migrations_database_url: str) -> Iterator[Engine]:
    """A freshly emptied database for every migration test."""
    if POSTGRES_URL:
        reset_postgres_schema(migrations_database_url)
    else:
        Path(migrations_database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    engine = create_engine(migrations_database_url)
    yield engine
    engine.dispose()
