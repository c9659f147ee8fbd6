# elv in a container: `docker build -t elv .` then docs/DEPLOYMENT.md. Two stages: the build
# stage has the compilers and -dev packages; the runtime stage only what the binary loads
# (deploy/runtime-packages.txt, checked by tests/e2e/test_runtime_libs.sh).

# ---- build --------------------------------------------------------------------------------
FROM debian:12 AS build
WORKDIR /src
COPY . .
# The repository's own dependency script (the same packages as CI); the browser-test tools
# (node, npm ci) are skipped: the image never runs the browser tests.
RUN apt-get update \
 && ELV_DEPS_NO_BROWSER=1 ./scripts/install-deps.sh \
 && rm -rf /var/lib/apt/lists/*
# Release, only the binary and its codecs module (no tests); stripped: the debug symbols are
# most of their size.
RUN cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build-release --target elv \
 && strip build-release/elv build-release/libelv_codecs.so \
 && ./deploy/collect-local-libs.sh build-release/elv /out/local-libs \
 && ./deploy/collect-local-libs.sh build-release/libelv_codecs.so /out/local-libs

# ---- runtime ------------------------------------------------------------------------------
FROM debian:12-slim
COPY deploy/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && sed "s/#.*//" /tmp/runtime-packages.txt | DEBIAN_FRONTEND=noninteractive xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt
# Libraries no Debian package provides (none today): collected in the build stage.
COPY --from=build /out/local-libs/ /usr/local/lib/
RUN ldconfig
COPY --from=build /src/build-release/elv /usr/local/bin/elv
# Pictures' and videos' codecs, loaded by creative-analyze from ../lib/elv/ of the binary.
COPY --from=build /src/build-release/libelv_codecs.so /usr/local/lib/elv/libelv_codecs.so

# uid 1000: Hugging Face Spaces runs containers as uid 1000; elsewhere any fixed uid works
# and this one matches the usual first user on a host, for bind-mounted run folders.
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin elv \
 && mkdir -p /data/runs && chown -R elv:elv /data
USER elv
WORKDIR /home/elv
VOLUME /data/runs
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:8501/healthz || exit 1
# Listening on 0.0.0.0 (the container's port is only reachable as published) needs a token
# or an explicit --public: --public by default; for a team server set ELV_AUTH_TOKEN and
# run without it (docs/DEPLOYMENT.md). The server stops cleanly on SIGTERM (docker stop).
ENTRYPOINT ["elv"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8501", "--runs-dir", "/data/runs", "--public"]
