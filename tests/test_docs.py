"""The repository's own docs: every relative link and picture resolves inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "docker" / "README.md", *(ROOT / "docs").rglob("*.md")])
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
ROLES = ("admin", "director", "project-manager", "member", "finance", "viewer")


def _relative_links(doc: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", doc.read_text(), flags=re.DOTALL)  # code is not a link
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")
    ]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_in_the_repository_and_exist(doc: Path) -> None:
    for target in _relative_links(doc):
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name} links outside the repository: {target}"
        assert path.exists(), f"{doc.name} links to a missing file: {target}"


def test_a_guide_with_screenshots_for_every_role() -> None:
    index = (ROOT / "docs" / "README.md").read_text()
    for role in ROLES:
        guide = ROOT / "docs" / "guide" / f"{role}.md"
        assert f"guide/{role}.md" in index
        pictures = [t for t in _relative_links(guide) if t.endswith(".png")]
        assert pictures, f"{guide.name} has no screenshot"
        for picture in pictures:
            png = (guide.parent / picture).resolve().read_bytes()
            assert png.startswith(b"\x89PNG"), picture
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert width <= 1600, f"{picture} is {width}x{height}"
            assert height <= 1200, f"{picture} is {width}x{height}"
    assert "images/api-docs.png" in (ROOT / "docs" / "api.md").read_text()
