# gridfed hub image: build with tsc, run the compiled ESM with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Two malloc arenas, not one per thread: freed native memory is reused, not left resident.
ENV MALLOC_ARENA_MAX=2
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER 10001
EXPOSE 8080
# The flags of tools/local-hub/hub-process.ts (HUB_NODE_FLAGS), which say why.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=30", "dist/apps/hub/src/main.js"]
