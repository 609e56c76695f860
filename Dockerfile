# briefing in a container: Debian, CJK fonts, Pango, HarfBuzz subsetting.
#   docker build -t briefing .
#   docker run --rm -u "$(id -u)" -v "$PWD:/work" -w /work briefing init   # feeds.yaml, edits/
#   docker run --rm -v "$PWD/feeds.yaml:/data/feeds.yaml:ro" -v briefing-state:/data/state \
#       -v briefing-out:/data/out briefing                   # one nightly run
#   docker compose up -d                                     # daily at 06:30 + a web server
# Volumes: /data/state (the store), /data/edits (editorial overrides), /data/out (the site
# and the run's log/manifest); the config is /data/feeds.yaml. See docs/operations.md.

# --- wheels of the project and its pinned dependencies ---------------------------------
FROM python:3.11-slim-bookworm AS wheels
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY briefing ./briefing
RUN pip wheel --no-cache-dir -c constraints.txt -w /wheels .

# --- the runtime -----------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# Debian stable's packages: security updates arrive under the same names, so not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 tini \
    && rm -rf /var/lib/apt/lists/*
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels /wheels/briefing-*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 briefing \
    && mkdir -p /data/state /data/edits /data/out \
    && chown -R briefing /data
COPY --chmod=755 docker/entrypoint.sh /usr/local/bin/briefing-entrypoint
USER 10001
WORKDIR /data
ENV BRIEFING_CONFIG=/data/feeds.yaml \
    BRIEFING_AT=06:30 \
    BRIEFING_AT_TZ=Asia/Shanghai \
    PYTHONUNBUFFERED=1
VOLUME ["/data/state", "/data/edits", "/data/out"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/briefing-entrypoint"]
CMD ["nightly"]
