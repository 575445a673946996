"""Interactive API docs (Swagger UI) at /api/v1/docs, with every asset served by MEMS itself.

FastAPI's built-in page loads Swagger UI from a CDN, which leaves it blank offline and is
unreliable in mainland China. The assets come from the `fastapi-swagger` package (Swagger UI's
bundle, stylesheet and icon, pinned in requirements*.lock) and are served from
`/api/v1/docs/assets/`; the page references nothing on another origin.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_PACKAGE = ("fastapi_swagger", "resources")


def install_api_docs(app: FastAPI, docs_url: str) -> None:
    """Serve Swagger UI for `app.openapi_url` at `docs_url` (the app has `docs_url=None`)."""
    assets = f"{docs_url}/assets"
    app.mount(assets, StaticFiles(packages=[ASSETS_PACKAGE]), name="api-docs-assets")
    openapi_url = app.openapi_url
    assert openapi_url is not None  # the docs show the API's OpenAPI document

    # A plain Starlette route, like FastAPI's own docs page: public, no unit of work, not API.
    async def api_docs(_request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API docs",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            # No online validator badge: it would call a third-party service.
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Cache-Control"] = "no-cache"
        return page

    app.add_route(docs_url, api_docs, methods=["GET"], include_in_schema=False)
