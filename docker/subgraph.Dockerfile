# One image for every subgraph; SUBGRAPH picks which one a container serves.
# Stage `runtime` (what compose and Kubernetes run) holds the project's runtime dependencies only, pinned
# by requirements.lock used as constraints; stage `test` adds the test tools (moto, pytest, ruff, …).
FROM python:3.11-slim AS runtime

# WeasyPrint (reports' PDFs) draws text with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DINA_SUBGRAPH_HOST=0.0.0.0 DINA_SUBGRAPH_PORT=8000 DINA_DEV=false DINA_DATA_DIR=/tmp/dina

COPY requirements.lock pyproject.toml README.md ./
COPY subgraphs ./subgraphs
COPY migrations ./migrations
RUN pip install --no-cache-dir -c requirements.lock -e .

USER nobody
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4)"
CMD ["sh", "-c", "exec dina-graph subgraphs --only ${SUBGRAPH:?set SUBGRAPH to the subgraph this container serves}"]

FROM runtime AS test
USER root
RUN pip install --no-cache-dir -c requirements.lock -e ".[test]"
COPY tests ./tests
CMD ["python", "-m", "pytest", "-q", "tests/test_layout.py", "tests/test_docker_files.py"]
