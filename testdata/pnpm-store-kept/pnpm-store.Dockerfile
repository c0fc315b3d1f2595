# pnpm's store stays in the layer: advice only (deleting it frees little).
FROM node:20-slim
RUN corepack enable
RUN pnpm install --frozen-lockfile
RUN pnpm --dir web i
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm install
RUN pnpm run build
