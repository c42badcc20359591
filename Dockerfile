# syntax=docker/dockerfile:1
# One image recipe for every service: docker build --build-arg APP=orders -t nestkit/orders .
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
RUN test -n "${APP}" || (echo "build with --build-arg APP=<gateway|identity|catalog|orders|notifications>" && exit 1)
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    APP=${APP}
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec replaces the shell, so SIGTERM from `docker stop` reaches node and shutdown is graceful.
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/${APP}/src/main.js"]
