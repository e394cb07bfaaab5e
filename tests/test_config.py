from __future__ import annotations

import datetime as dt
import importlib
import sys

import pytest

from app import create_app
from config import (
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_env,
    engine_options,
    normalise_database_url,
)
from tests.conftest import POSTGRES_URL


@pytest.mark.parametrize("key", [None, "", "dev", "changeme", "short-but-not-empty"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.delenv("TRIBUNAL_ENV", raising=False)
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIBUNAL_ENV", "production")
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "chain-key"))
    (tmp_path / "chain-key").write_bytes(bytes(32))
    monkeypatch.setenv("SECRET_KEY", "x" * 8 + "9f2c1e7a4b6d8f0a2c4e6a8b0d2f4a6c")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app()
    assert not app.debug and not app.testing


def test_unset_or_unknown_mode_means_production(monkeypatch):
    monkeypatch.delenv("TRIBUNAL_ENV", raising=False)
    assert isinstance(config_from_env(), ProductionConfig)
    monkeypatch.setenv("TRIBUNAL_ENV", "devel")
    assert isinstance(config_from_env(), ProductionConfig)


def test_modes_are_explicit(monkeypatch):
    monkeypatch.setenv("TRIBUNAL_ENV", "development")
    assert isinstance(config_from_env(), DevelopmentConfig)
    monkeypatch.setenv("TRIBUNAL_ENV", "testing")
    assert isinstance(config_from_env(), TestingConfig)


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal:5432/tribunal")
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path))
    monkeypatch.setenv("TEMPORAL_SCOPE_START", "2022-02-24")
    settings = TestingConfig()
    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db.internal:5432/tribunal"
    assert settings.EVIDENCE_DIR == str(tmp_path)
    assert settings.TEMPORAL_SCOPE_START == dt.date(2022, 2, 24)


def test_temporal_scope_defaults_to_crimea(monkeypatch):
    monkeypatch.delenv("TEMPORAL_SCOPE_START", raising=False)
    assert TestingConfig().TEMPORAL_SCOPE_START == dt.date(2014, 2, 20)


def test_bad_temporal_scope_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TEMPORAL_SCOPE_START", "20.2.2014")
    with pytest.raises(ConfigError, match="TEMPORAL_SCOPE_START"):
        TestingConfig()


def test_database_url_normalisation():
    assert normalise_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("postgresql+psycopg://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_importing_the_app_module_builds_nothing(monkeypatch):
    """Nothing runs at import time: importing app does not create an app (nor need a key)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TRIBUNAL_ENV", raising=False)
    sys.modules.pop("app", None)
    module = importlib.import_module("app")
    assert "app" not in vars(module)
    with pytest.raises(ConfigError):
        module.app  # noqa: B018  (``flask --app app`` looks the attribute up, which builds it)


def test_session_cookie_is_httponly_and_lax():
    settings = TestingConfig()
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_postgresql_connections_are_pooled_without_jit():
    options = engine_options("postgresql+psycopg://db/tribunal", {"DB_POOL_SIZE": "8", "DB_MAX_OVERFLOW": "2"})
    assert options["pool_size"] == 8 and options["max_overflow"] == 2 and options["pool_pre_ping"] is True
    assert options["connect_args"] == {"options": "-c jit=off"}
    assert engine_options("sqlite:///x.db", {}) == {"pool_pre_ping": True}


def test_a_bad_pool_size_is_a_clear_error():
    with pytest.raises(ConfigError, match="DB_POOL_SIZE"):
        engine_options("postgresql+psycopg://db/tribunal", {"DB_POOL_SIZE": "many"})


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only (TRIBUNAL_TEST_DB)")
def test_the_apps_postgresql_connections_run_without_jit():
    from sqlalchemy import create_engine, text

    assert POSTGRES_URL is not None
    engine = create_engine(POSTGRES_URL, **engine_options(POSTGRES_URL, {}))  # type: ignore[arg-type]
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SHOW jit")) == "off"
    finally:
        engine.dispose()


def test_only_the_testing_mode_hashes_passwords_cheaply(monkeypatch, tmp_path):
    """The test suite's cheap Argon2 cost never reaches a real instance: every other mode
    hashes at the standard cost (the library's recommendation)."""
    from argon2 import extract_parameters

    from services.auth.accounts import hash_password

    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "chain-key"))
    (tmp_path / "chain-key").write_bytes(bytes(32))
    for config in (DevelopmentConfig(), ProductionConfig()):
        assert config.ARGON2_COST == "standard"
        with create_app(config).app_context():
            parameters = extract_parameters(hash_password("correct horse battery staple"))
        assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)
    assert TestingConfig().ARGON2_COST == "test"
