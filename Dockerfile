# The portal's production image: gunicorn for the web, the same image for Celery.

# --- Front-end assets: GOV.UK Frontend and htmx, built from the npm packages -------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.mjs scripts/
COPY static/src static/src
RUN npm run --silent build

# --- Application ----------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LAA_VAR_DIR=/var/lib/laa-portal \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint's system libraries and fonts for the agreement PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
COPY --from=assets /build/static/build static/build

# collectstatic needs settings that would pass in production; these are for the build only.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0000 \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app --shell /usr/sbin/nologin laa \
    && mkdir -p "$LAA_VAR_DIR" && chown laa "$LAA_VAR_DIR"

USER laa
EXPOSE 8000
CMD ["gunicorn", "laa_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
