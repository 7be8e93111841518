# ecs-operator as a container: `run` by default, manifests from a Git repository or a mounted folder.
# BASE is the Node.js 22 image on Debian bookworm both stages start from; another registry's copy of
# it (or a locally built equivalent, see src/tools/image-test.ts) can be given with --build-arg BASE=.
ARG BASE=node:22-bookworm-slim

# Build stage: compile TypeScript with every dependency, then keep only what runs.
FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY schemas ./schemas
RUN npm run build && npm prune --omit=dev && rm -rf dist/tools

# Runtime stage: Node.js, git and ssh (for Git sources), a non-root user.
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Defaults as variables, not flags: a flag would win over the ECS_OPERATOR_* a deployment sets.
ENV NODE_ENV=production \
    ECS_OPERATOR_SOURCE=/manifests \
    ECS_OPERATOR_LISTEN=0.0.0.0:8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
USER node
EXPOSE 8080
# The port of --listen / ECS_OPERATOR_LISTEN, whatever it is set to.
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "const p=(process.env.ECS_OPERATOR_LISTEN||'').split(':').pop()||'8080';fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/main.js"]
CMD ["run"]
