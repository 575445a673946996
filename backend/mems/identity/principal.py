"""Who is acting: the `Principal` every service receives, free of any web framework.

The FastAPI dependencies that build a principal from a request live in `identity.auth`;
services, jobs and the demo seed use this module only, so rules can be called (and tested)
without a request. Resolved principals are cached for a few seconds (`principal_cache`); any
identity write clears the cache after it commits.

What a principal may do is its role's permissions (`identity.permissions`), narrowed by an API
token's scopes. Services ask `can(permission)` or, for objects someone owns,
`owns_or_can(owner, permission)`; they never compare roles themselves. Rights on a project
are the projects domain's policy (`projects.policy`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from mems.identity.permissions import ROLE_PERMISSIONS, Permission, Role

API_TOKEN_PREFIX = "mems_pat_"  # noqa: S105 - a prefix, not a secret


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    user_name: str
    org_id: uuid.UUID
    membership_id: uuid.UUID
    role: Role
    via: str  # "session" (cookie), "bearer" (login token), "api_token", or "seed" (demo data)
    credential_id: uuid.UUID
    credential_hash: str
    scopes: frozenset[Permission] | None = None  # None = everything the role allows

    @property
    def permissions(self) -> frozenset[Permission]:
        allowed = ROLE_PERMISSIONS[self.role]
        return allowed if self.scopes is None else allowed & self.scopes

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def owns_or_can(self, owner_member_id: uuid.UUID | None, permission: Permission) -> bool:
        """The caller is the member who owns an object (a KPI, a saved template …), or holds
        `permission`, which covers everyone's."""
        return owner_member_id == self.membership_id or self.can(permission)


class PrincipalCache:
    def __init__(self, ttl_seconds: float = 5.0) -> None:
        self.ttl = ttl_seconds
        self._items: dict[str, tuple[float, Principal]] = {}

    def get(self, key: str) -> Principal | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        return hit[1]

    def put(self, key: str, principal: Principal) -> None:
        if self.ttl > 0:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.ttl, principal)

    def clear(self) -> None:
        self._items.clear()


# One per process; `create_app` sets its TTL. Identity writes clear it after they commit.
principal_cache = PrincipalCache()
