"""The JSON API: thin handlers over the session service; OpenAPI 3.1 at /schema."""
