"""List server messages (`_("...")` in backend/mems) that lack a zh-CN translation.

.venv/bin/python scripts/i18n_missing.py          # print them
.venv/bin/python scripts/i18n_missing.py --add    # add them to zh-CN.json with "" to fill
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "backend" / "mems" / "locales" / "zh-CN.json"


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def templates() -> dict[str, str]:
    """Every user-facing English text, with the file it first appears in: templates marked
    with `_(...)` and the fixed messages of field errors (`FieldError(message="...")`)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "backend" / "mems").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            texts: list[str | None] = []
            if node.func.id == "_" and node.args:
                texts.append(_text(node.args[0]))
            elif node.func.id == "FieldError":
                texts += [_text(k.value) for k in node.keywords if k.arg == "message"]
            for text in texts:
                if text:
                    found.setdefault(text, str(path.relative_to(ROOT)))
    return found


def main() -> int:
    catalogue: dict[str, str] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    missing = {t: f for t, f in templates().items() if not catalogue.get(t)}
    for template, where in missing.items():
        print(f"{where}: {template}")
    if "--add" in sys.argv and missing:
        catalogue.update({t: catalogue.get(t, "") for t in missing})
        CATALOGUE.write_text(
            json.dumps(catalogue, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
