"""The interactive API docs work offline: every asset the page loads is served by MEMS."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx

DOCS = "/api/v1/docs"


async def test_docs_reference_only_same_origin_assets_that_answer(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get(DOCS)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "SwaggerUIBundle" in page

    # Everything the page loads: scripts, stylesheets, icons, and the OpenAPI document.
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    refs += re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", page)
    assert len(refs) >= 4, refs
    base = str(client.base_url) + DOCS
    for ref in refs:
        target = urlsplit(urljoin(base, ref))
        assert (target.scheme, target.netloc) == ("http", "testserver"), f"{ref} is elsewhere"
        asset = await client.get(target.path)
        assert asset.status_code == 200, ref
        assert asset.content, ref
    # No address of another host anywhere in the page (CDNs, validators, fonts).
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, flags=re.IGNORECASE)

    bundle = await client.get(f"{DOCS}/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith(("application/javascript", "text/javascript"))
    assert len(bundle.content) > 500_000  # the real Swagger UI, not a stub
    css = await client.get(f"{DOCS}/assets/swagger-ui.css")
    assert css.headers["content-type"].startswith("text/css")


async def test_only_the_packaged_assets_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{DOCS}/assets/missing.js")).status_code == 404
    # No way out of the assets folder, e.g. to the Python sources beside it.
    for path in ("%2e%2e/main.py", "..%2fmain.py", "%2e%2e%2f%2e%2e%2fetc/passwd"):
        r = await client.get(f"{DOCS}/assets/{path}")
        assert r.status_code == 404, path
