"""openapi.yaml, generated from the app (`make openapi`); a test fails when it is stale."""

from __future__ import annotations

import yaml

from mems.config import Settings


def render_openapi() -> str:
    from mems.main import create_app

    app = create_app(Settings(environment="test", log_level="WARNING"))
    return yaml.safe_dump(app.openapi(), sort_keys=False, allow_unicode=True, width=100)
