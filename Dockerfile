# syntax=docker/dockerfile:1
# wg-meetings: the Probot server (webhooks, GET /ping, POST /wg-meetings/tick).
#   docker build -t wg-meetings .
#   docker run --rm -p 3000:3000 --env-file wg-meetings.env wg-meetings
# The same image runs the CLI: docker run --rm --env-file … wg-meetings node bin/wg-meetings.js tick --dry-run
# Released images: ghcr.io/OWNER/wg-meetings:<version>, linux/amd64 and linux/arm64, built by
# .github/workflows/release.yml, which fills the OCI label arguments at the end of this file.

# --- Build stage: dev dependencies (TypeScript's native tsc ships in optional dependencies,
# so no --omit=optional here) and the compiled lib/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- Runtime stage: production dependencies only, non-root, read-only friendly.
FROM node:24-bookworm-slim
# Node as PID 1 ignores SIGTERM (no default handler for PID 1), so `docker stop` and a pod's
# termination would wait for SIGKILL. tini forwards the signal and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    # Probot binds localhost unless told otherwise; a container must listen on all interfaces.
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has an install script: --ignore-scripts runs nothing from the registry.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY bin ./bin
# Read at run time: templates/ by the renderer (lib/render/templates.js → ../../templates),
# app.yml only by Probot's registration page.
COPY templates ./templates
COPY app.yml ./
# Files stay root-owned and read-only to the app. Numeric, so Kubernetes' runAsNonRoot can
# verify it (uid 1000 is the image's `node` user).
USER 1000:1000
EXPOSE 3000
# Probot answers GET /ping with PONG; node is in the image, curl is not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# lib/server.js = `npm start`: Probot's server with a logger that redacts the tick route's
# bearer secret and webhook signatures from request logs.
# --max-semi-space-size=4 (MB): V8 otherwise sizes its young generation from
# the memory it sees (Node 24 on a host with no container limit: up to 64 MB per semi-space), and
# a tick's peak RSS then grows with the number of repositories it lists. Measured in
# docs/deploy.md ("Memory"); bench/ runs the App with these flags.
CMD ["node", "--max-semi-space-size=4", "lib/server.js"]

# OCI labels. Declared last: a build argument that changes (every release's revision and date)
# only invalidates the instructions after it, and nothing after it runs.
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="wg-meetings" \
      org.opencontainers.image.description="A GitHub App that runs a working group's meetings from agenda to merged minutes" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
