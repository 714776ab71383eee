# The newsroom web image: gunicorn serving newsroom.wsgi:application on port 8000.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
COPY newsroom ./newsroom
COPY search ./search
COPY articles ./articles
COPY artists ./artists
COPY discography ./discography
COPY photos ./photos
COPY core ./core
RUN pip install -c constraints.txt .

COPY manage.py ./
COPY templates ./templates
COPY jinja2 ./jinja2
COPY static ./static

# Static files are hashed and compressed at build time (whitenoise serves them).
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 newsroom \
    && mkdir -p /app/var/media /app/var/shared \
    && chown -R newsroom /app/var

USER newsroom
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"

CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "2", "--threads", "4", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
