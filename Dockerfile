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
COPY templates ./templates
COPY schemas ./schemas
RUN pip install --no-cache-dir .
ENV TEMPLATES_DIR=/app/templates SCHEMAS_DIR=/app/schemas HOST=0.0.0.0 PORT=8000 LOG_FORMAT=json \
    UNOSERVER_COMMAND=/opt/unoserver/bin/unoserver
EXPOSE 8000
# `serve` applies pending migrations before it starts.
CMD ["python", "-m", "service", "serve"]
