FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY templates ./templates
COPY schemas ./schemas
RUN pip install --no-cache-dir .
ENV TEMPLATES_DIR=/app/templates SCHEMAS_DIR=/app/schemas HOST=0.0.0.0 PORT=8000 LOG_FORMAT=json
EXPOSE 8000
# `serve` applies pending migrations before it starts, then runs one process per core (WORKERS).
CMD ["python", "-m", "service", "serve", "--workers", "0"]
