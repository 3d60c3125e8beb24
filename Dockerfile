# Tallyfy for Slack. Build: docker build -t tallyfy-for-slack .
# Run: docker run -p 3000:3000 --env-file .env -v tallyfy-data:/data tallyfy-for-slack

# Build stage: compile the TypeScript with the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox ./sandbox
RUN npm run build

# Final stage: production dependencies and the compiled code only, run as the non-root `node`.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-fund --no-audit && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
# SQLite keeps connections here (one instance); with DATABASE_URL it stays empty.
VOLUME ["/data"]
EXPOSE 3000
# 200 once the bot is ready, 503 while it starts or stops. The image has no curl: Node's fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# The same V8 flags as `npm start` (test/unit/deploy-files.test.ts checks they match).
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/src/index.js"]
