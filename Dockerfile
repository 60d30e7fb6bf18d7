# The product's one image: `pathways api`, `pathways worker`, `pathways db upgrade`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH

RUN pip install --no-cache-dir "uv>=0.5" \
    && useradd --system --uid 10001 --home-dir /app pathways
WORKDIR /app

# Dependencies first, from the lock, so code changes do not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY alembic.ini ./
COPY migrations ./migrations
COPY core ./core
COPY domain ./domain
COPY db ./db
COPY documents ./documents
COPY activities ./activities
COPY workflows ./workflows
COPY services ./services
COPY worker ./worker
COPY api ./api
COPY web ./web
RUN uv sync --frozen --no-dev && chown -R pathways /app

USER pathways
# 8000: the API; 9464: the worker's Prometheus metrics (PATHWAYS_WORKER_METRICS_ADDRESS).
EXPOSE 8000 9464
# Exec form: SIGTERM reaches the process, which finishes in-flight work before it exits.
ENTRYPOINT ["pathways"]
CMD ["api"]
