# syntax=docker/dockerfile:1

# Build stage: dev dependencies (TypeScript's native tsc ships in optional dependencies,
# so no --omit=optional here) and the compiled lib/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only, non-root, no shell tools added.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    # Probot binds localhost unless told otherwise; a container must listen on all interfaces.
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY bin ./bin
COPY templates ./templates
COPY app.yml ./
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG; node is in the image, curl is not.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node_modules/.bin/probot", "run", "./lib/index.js"]
