"""The OpenAPI viewer (Swagger UI) served from this site's own files, under its strict CSP.

Litestar's Swagger page loads Swagger UI from a CDN and starts it with an inline script; here
the page names only files of this site: Swagger UI from npm's swagger-ui-dist (copied to
``static/vendor/swagger-ui`` by ``make assets``) and a small starter script beside it.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

VENDOR = "/static/vendor/swagger-ui"


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    def __init__(self, spec_url: str = "/schema/openapi.json") -> None:
        super().__init__(
            js_url=f"{VENDOR}/swagger-ui-bundle.js",
            css_url=f"{VENDOR}/swagger-ui.css",
            standalone_preset_js_url=f"{VENDOR}/swagger-ui-standalone-preset.js",
        )
        self.spec_url = spec_url

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API</title>
<link rel="stylesheet" href="{self.css_url}">
<script src="{self.js_url}" defer></script>
<script src="{self.standalone_preset_js_url}" defer></script>
<script src="/static/api-docs.js" defer></script>
</head>
<body>
<main id="swagger-container" data-spec-url="{html.escape(self.spec_url)}"></main>
</body>
</html>"""
        return page.encode()
