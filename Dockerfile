# Warren's image: Debian 12, two stages. The build stage runs exactly what CI runs
# (scripts/install-deps.sh, scripts/build.sh as Release, scripts/package.sh for the .deb); the
# runtime stage installs that .deb and nothing from the build tree, and runs as the non-root
# user warren (uid/gid 10001, the Deployment's runAsUser).
#   docker build -t warren:0.1.0 .
#   docker run --rm -e REDIS_URL=redis://host:6379 -v $PWD/warren.ini:/etc/warren/warren.ini:ro warren:0.1.0
# The .deb's Recommends (redis-server for the embedded default) are left out: a container gets
# REDIS_URL. Plugin bundles: FROM this image, COPY your .so files into /usr/lib/warren/plugins/.

FROM debian:12 AS build
WORKDIR /src
COPY . .
# The tests are not built here (CI runs them); the package is the same as CI's.
RUN bash scripts/install-deps.sh \
 && BUILD_TYPE=Release bash scripts/build.sh -DWARREN_BUILD_TESTS=OFF \
 && bash scripts/package.sh \
 && cp build/packages/warren_*_amd64.deb /tmp/

FROM debian:12
# The user first, with a fixed id: the package's postinst keeps an existing warren user, and
# Kubernetes' runAsNonRoot needs a numeric USER to check.
RUN groupadd --system --gid 10001 warren \
 && useradd --system --uid 10001 --gid warren --home-dir /var/lib/warren --no-create-home \
      --shell /usr/sbin/nologin warren
COPY --from=build /tmp/warren_*_amd64.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ./tmp/warren_*_amd64.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/warren_*_amd64.deb \
 && install -d -o warren -g warren -m 0750 /var/lib/warren /var/lib/warren-plugins
ENV WARREN_DATA_DIR=/var/lib/warren \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=9090
USER 10001:10001
WORKDIR /var/lib/warren
EXPOSE 9090
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
  CMD curl -fsS http://127.0.0.1:9090/health >/dev/null || exit 1
ENTRYPOINT ["/usr/bin/warren"]
CMD ["run", "--config", "/etc/warren/warren.ini"]
