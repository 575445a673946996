from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from mems.config import Settings


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="short")
    assert Settings(environment="production", secret_key="k" * 40).resolved_secret_key() == "k" * 40


def test_embedded_mode_generates_a_secret_once_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    key = settings.resolved_secret_key()
    assert len(key) >= 32
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert Settings(var_dir=tmp_path).resolved_secret_key() == key


def test_embedded_default_is_sqlite_under_var_with_demo_data(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'mems.db'}"
    assert settings.should_seed_demo is True
    assert Settings(var_dir=tmp_path, seed_demo=False).should_seed_demo is False


def test_production_database_url_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/mems")
    settings = Settings()
    assert settings.effective_database_url == "postgresql+asyncpg://u:p@db:5432/mems"
    assert settings.should_seed_demo is False  # only the embedded default seeds by default
    monkeypatch.setenv("SEED_DEMO", "true")
    assert Settings().should_seed_demo is True
