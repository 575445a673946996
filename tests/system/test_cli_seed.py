"""`python -m mems seed` on a fresh embedded database, as `make run` does it: the demo is
seeded in its own process (with every job handler registered: the seed queues jobs), and its
channel data already holds the open alert."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mems.config import PROJECT_ROOT


@pytest.mark.embedded
def test_the_seed_command_seeds_the_demo_with_its_alert(tmp_path: Path) -> None:
    database = tmp_path / "seed.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "mems", "seed"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert b"director@demo.mems" in done.stdout
    with sqlite3.connect(database) as db:
        (alerts,) = db.execute("SELECT count(*) FROM alerts WHERE state = 'open'").fetchone()
        (days,) = db.execute("SELECT count(*) FROM metric_daily").fetchone()
    assert alerts >= 1
    assert days > 400
