"""Webhook adapters, one small module per delivery format (pure). Each has:

- `verify(secret, headers, body, now) -> str`: check the signature over the raw bytes (raises
  `core.signing.SignatureRefused`) and name the delivery for de-duplication;
- `parse(body, channel) -> list[dict]`: the records in MEMS's format (`MetricRecordIn`), which
  are then checked like any batch (raises `base.MalformedDelivery`);
- `REPLAY_IS_ERROR`: whether a delivery seen before is refused (MEMS's format: a replay) or
  answered as done (Meta retries what it is not sure was received).

Take another platform's webhooks: add a module and a `SourceKind`.
"""

from __future__ import annotations

from types import ModuleType

from mems.channels.adapters import generic, meta
from mems.channels.models import SourceKind

ADAPTERS: dict[SourceKind, ModuleType] = {SourceKind.WEBHOOK: generic, SourceKind.META: meta}
