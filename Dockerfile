# Value Scout: `docker build -t valuescout .`, then `docker run --env-file .env valuescout web`
# (or worker, clock, doctor, db backup …); compose.yaml runs it with PostgreSQL.
# The dependencies are exactly those requirements/app.lock pins, every file's hash checked.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/app.lock requirements/app.lock
RUN python -m venv /opt/valuescout \
 && /opt/valuescout/bin/pip install --no-cache-dir --require-hashes --no-deps \
      --requirement requirements/app.lock
COPY pyproject.toml README.md ./
COPY bot bot
COPY storage storage
COPY prompts prompts
RUN /opt/valuescout/bin/pip install --no-cache-dir --no-deps /src

FROM python:3.11-slim
ENV PATH=/opt/valuescout/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PORT=3000
RUN groupadd --gid 10001 valuescout \
 && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin valuescout
COPY --from=build /opt/valuescout /opt/valuescout
USER 10001:10001
WORKDIR /home/valuescout
EXPOSE 3000
# `web` answers /healthz; a clock or worker container has no port (compose.yaml turns it off).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
ENTRYPOINT ["valuescout"]
CMD ["web"]
