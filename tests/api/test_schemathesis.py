"""The OpenAPI document tells the truth: schemathesis generates requests for every operation
from `openapi.json` (valid and invalid ones) and checks every answer — never a server error,
status codes, content types, headers and bodies as documented, bad input refused.

It drives the real app (its own SQLite file, migrated, with an organisation) through ASGI, as
the organisation's admin. Examples per operation are bounded so the run fits in CI.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, get_args

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic_core.core_schema import ErrorType
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mems.config import Settings
from mems.core.db import Database
from mems.identity.permissions import Role
from mems.main import create_app
from mems.migrate import upgrade
from tests.factories import make_org_with_members, make_session_token

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
_VAR = Path(os.environ.get("SCHEMATHESIS_VAR", "")) if os.environ.get("SCHEMATHESIS_VAR") else None


def _prepare(var_dir: Path) -> tuple[Any, str, list[str]]:
    url = f"sqlite+aiosqlite:///{var_dir / 'mems.db'}"

    async def build() -> tuple[str, list[str]]:
        db = Database.from_url(url)
        await upgrade(db.engine)
        async with db.sessionmaker() as s:
            org = await make_org_with_members(s)
            admin = org.members[Role.ADMIN].id
            token = await make_session_token(s, admin, hours=24)
            # Logging out ends the session it is called with: each logout gets its own.
            spare = [await make_session_token(s, admin, hours=24) for _ in range(EXAMPLES * 4)]
            await s.commit()
        await db.engine.dispose()
        return token, spare

    token, spare = asyncio.run(build())
    app = create_app(
        Settings(
            environment="test",
            database_url=url,
            var_dir=var_dir,
            spa_dir=var_dir / "no-spa",
            secret_key="schemathesis-secret-key-" + "x" * 32,
            log_level="WARNING",
            principal_cache_seconds=0,
        )
    )
    return app, token, spare


_APP, _TOKEN, _SPARE = _prepare(Path(__import__("tempfile").mkdtemp(prefix="mems-schemathesis-")))
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP)


@pytest.mark.embedded
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(case: Any) -> None:
    token = _SPARE.pop() if case.path == "/api/v1/auth/logout" and _SPARE else _TOKEN
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[schema_valid_data_is_accepted],
    )


# The rules a JSON Schema can state (types, lengths, formats, patterns, bounds): a request
# that keeps them must never fail one of them. Pydantic's error types, and ours that mirror a
# schema rule.
STRUCTURAL = set(get_args(ErrorType)) | {
    "value_not_nul",
    "date_type",
    "null_not_allowed",
    "decimal_type",
    "email_invalid",
}


def schema_valid_data_is_accepted(ctx: Any, response: Any, case: Any) -> None:
    """Schemathesis's positive-data check, less what no schema can say: a schema-valid request
    may still name an object that does not exist, a wrong current password, or fields that
    disagree with each other; such a 422 names its own rule (`unknown_member`, `mismatch`,
    …). A 422 for a rule the document could have stated is a document that lies."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    errors = response.json().get("errors") or []
    structural = [e for e in errors if e.get("type") in STRUCTURAL]
    if structural or not errors:
        raise AssertionError(
            f"Schema-valid request refused for a rule the document does not state: {structural}"
        )
