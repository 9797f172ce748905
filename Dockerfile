FROM python:3.11-slim
# PDFs: Debian's LibreOffice Writer with fonts metric-compatible with Times New Roman, and
# unoserver under Debian's Python (the one LibreOffice's `uno` module imports in).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libreoffice-writer-nogui python3-uno python3-venv fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/* \
 && /usr/bin/python3 -m venv --system-site-packages /opt/unoserver \
 && /opt/unoserver/bin/pip install --no-cache-dir "unoserver>=3.1,<4"
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
# htmx and Swagger UI from the npm registry (package-lock.json), served by the app itself.
COPY package.json package-lock.json ./
RUN apt-get update && apt-get install -y --no-install-recommends npm \
    && npm ci --omit=dev --no-audit --no-fund \
    && mkdir -p service/web/static/vendor && cp node_modules/htmx.org/dist/htmx.min.js service/web/static/vendor/ \
    && mkdir -p service/web/static/vendor/swagger-ui \
    && cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js node_modules/swagger-ui-dist/swagger-ui.css service/web/static/vendor/swagger-ui/ \
    && rm -rf node_modules && apt-get purge -y --auto-remove npm && rm -rf /var/lib/apt/lists/*
COPY templates ./templates
COPY schemas ./schemas
RUN pip install --no-cache-dir .
ENV TEMPLATES_DIR=/app/templates SCHEMAS_DIR=/app/schemas HOST=0.0.0.0 PORT=8000 LOG_FORMAT=json \
    UNOSERVER_COMMAND=/opt/unoserver/bin/unoserver
EXPOSE 8000
# `serve` applies pending migrations before it starts, then runs one process per core (WORKERS).
CMD ["python", "-m", "service", "serve", "--workers", "0"]
