"""Collaboration tests: a small upload limit and a store of each test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from mems.config import Settings

LIMIT = 64 * 1024


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def settings(settings: Settings, store_dir: Path) -> Settings:
    return settings.model_copy(update={"storage_url": str(store_dir), "max_upload_bytes": LIMIT})
