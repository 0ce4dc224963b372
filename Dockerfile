# kubefedctl in a small image: the npm package installed globally on Node's Alpine image, run as
# a non-root user. Build from a checkout: docker build -t kubefedctl . (docs/ci.md has examples).
# test/unit/pack.test.ts installs the package the way the last stage does and runs ENTRYPOINT's
# command, since no Docker engine is available where the tests run.

# Build: compile and bundle (npm ci runs `prepare`), then pack exactly what `npm pack` ships (bin/,
# dist/bundle/, schemas/).
FROM node:22-alpine AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY scripts/build.mjs scripts/gen-validators.mjs ./scripts/
COPY bin ./bin
COPY src ./src
COPY schemas ./schemas
COPY README.md ./
RUN npm ci --no-audit --no-fund && npm pack --ignore-scripts --pack-destination /pack

# Run: only the package and its runtime dependencies.
FROM node:22-alpine
COPY --from=build /pack/kubefedctl-*.tgz /tmp/
RUN npm install --global --no-audit --no-fund /tmp/kubefedctl-*.tgz && rm /tmp/kubefedctl-*.tgz
USER node
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/kubefedctl"]
CMD ["--help"]
