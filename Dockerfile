# syntax=docker/dockerfile:1
# quincer-server's image (docs/DEPLOY.md#containers): the widget, the inbox and a release server built as ./build.sh builds
# them, run on Debian slim as a non-root user. From the repository root:
#
#   docker build -t quincer-server .
#   docker run -p 8787:8787 -v quincer-data:/var/lib/quincer quincer-server serve --demo              # SQLite
#   docker run -p 8787:8787 -e QUINCER_DATABASE_URL=postgres://… quincer-server serve                  # PostgreSQL
#
# deploy/compose.yaml runs two of them on PostgreSQL behind HAProxy.

# Node.js for the widget's build tools (wasm-opt, terser: package.json), copied into the Rust image.
FROM node:20-bookworm-slim AS node

FROM rust:1-bookworm AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
# build.sh installs what the widget needs (the wasm32 target, the pinned nightly with rust-src, the pinned
# wasm-bindgen-cli, npm packages) and fetches the embedding model; the caches keep crates and builds between image
# builds. target/ is a cache, so what the image needs is copied out of it in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    ./build.sh build \
    && cargo build --release --locked -p quincer-server \
    && ./build.sh model \
    && mkdir -p /out \
    && cp target/release/quincer-server /out/ \
    && cp -r target/models/all-MiniLM-L6-v2 /out/model

FROM debian:bookworm-slim
# curl for the health check; CA certificates for HTTPS webhooks, storefront imports and model providers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/quincer --create-home \
    --shell /usr/sbin/nologin quincer
COPY --from=build /out/quincer-server /usr/local/bin/quincer-server
COPY --from=build /src/www /srv/quincer/www
COPY --from=build /out/model /srv/quincer/models/all-MiniLM-L6-v2
# Listen on every interface of the container; the data directory holds the SQLite database (or, on PostgreSQL, only
# the demo's keys file).
ENV QUINCER_ADDR=0.0.0.0:8787 \
    QUINCER_DATA=/var/lib/quincer \
    QUINCER_WWW=/srv/quincer/www \
    QUINCER_EMBEDDING_MODEL=/srv/quincer/models/all-MiniLM-L6-v2
USER quincer
VOLUME /var/lib/quincer
EXPOSE 8787
# SIGTERM starts a graceful shutdown (--shutdown-grace-secs, default 10): give `docker stop -t` a few seconds more.
STOPSIGNAL SIGTERM
# Liveness only: /healthz answers whenever the process serves HTTP. Balancers check /readyz (deploy/haproxy.cfg).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${QUINCER_ADDR##*:}/healthz" || exit 1
ENTRYPOINT ["quincer-server"]
CMD ["serve"]
