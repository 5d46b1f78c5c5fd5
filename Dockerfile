# syntax=docker/dockerfile:1
# support-bot as a container image: the single-file bundle and Node, nothing else.
# Built by the `image` job of .gitlab-ci.yml on tags (docker build, then push to
# $CI_REGISTRY_IMAGE:<version>); tests/distribution/dockerfile.test.ts checks this file's structure.

# Node's version is .node-version's; the tests fail when they differ.
ARG NODE_VERSION=26.12.1

# Build stage: dev dependencies and the sources, only to produce bundle/support-bot.mjs.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts/ scripts/
COPY src/ src/
COPY config/ config/
COPY issue_templates/ issue_templates/
RUN npm run bundle

# Runtime stage: Node (pinned) and the bundle. The default config and the message and issue
# templates are inside the bundle; mount a config and set SUPPORT_BOT_CONFIG to use another.
FROM node:${NODE_VERSION}-alpine AS runtime
ENV NODE_ENV=production \
    NODE_COMPILE_CACHE=/home/node/.cache/node-compile-cache \
    PORT=3000
COPY --from=build --chown=root:root --chmod=0755 /src/bundle/support-bot.mjs /usr/local/lib/support-bot/support-bot.mjs
RUN ln -s /usr/local/lib/support-bot/support-bot.mjs /usr/local/bin/support-bot
USER node
WORKDIR /home/node
# Fills Node's compile cache, so each job's first start skips parsing the bundle.
RUN support-bot --version
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["support-bot"]
CMD ["serve"]
