# syntax=docker/dockerfile:1
#
# token-warden container image.
#   docker build -t token-warden:0.1.0 --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" .
#
# Build stage: the official Swift image (Debian bookworm), release build with the Swift
# standard library and Foundation linked statically, so the runtime image needs no Swift.
FROM swift:6.3.1-bookworm AS build
# Headers of the C libraries the package links (CCurl, CZlib, CTLS). Not pinned to exact
# versions on purpose: bookworm's security updates must flow in on every rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev zlib1g-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifest first so that dependency resolution is cached across source changes.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
# Package.swift declares the test bed's and the test targets; their folders must exist to load
# the package (the product's executable links neither).
COPY TestBed ./TestBed
COPY Tests ./Tests
# Installed stripped: 98 MB with debug info, 66 MB without (measured on 0.1.0).
RUN swift build -c release --static-swift-stdlib --product token-warden \
 && install -D -m 0755 -s "$(swift build -c release --static-swift-stdlib --show-bin-path)/token-warden" /out/token-warden

# Runtime stage. `readelf -d` of the release binary (0.1.0) needs only:
#   libcurl.so.4 (libcurl4), libssl.so.3 + libcrypto.so.3 (libssl3), libz.so.1 (zlib1g),
#   libstdc++.so.6 (libstdc++6), libgcc_s.so.1 (libgcc-s1), libm/libc (libc6);
# `ldd` adds libcurl's own dependencies (nghttp2, idn2, rtmp, ssh2, psl, gssapi/krb5, ldap,
# zstd, brotli, gnutls, ...), all pulled in by the libcurl4 package. docs/image.md lists them.
# Checked in a debootstrap'ed bookworm minbase with only these packages added, as UID 65532.
# No shell is used at run time: the entrypoint is exec form.
FROM debian:bookworm-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="token-warden" \
      org.opencontainers.image.description="Restarts Kubernetes workloads before the bound ServiceAccount tokens their processes hold expire" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.documentation="docs/README.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
# libcurl4 (with its OpenSSL 3, nghttp2, ... dependencies); the CA bundle (token-warden always
# verifies TLS; in-cluster it uses the ServiceAccount's ca.crt); tzdata for maintenance windows
# in IANA time zones. Not pinned for the same reason as above.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/* /var/log/apt /var/log/dpkg.log
COPY --from=build --chown=0:0 /out/token-warden /usr/local/bin/token-warden
COPY --chown=0:0 LICENSE /usr/share/doc/token-warden/LICENSE
# libcurl4 links librtmp, which links GnuTLS; GnuTLS initialises itself (and p11-kit) in a library
# constructor although only RTMPS would use it and token-warden allows http/https only. Skipping
# that saves ~0.7 MB RSS and a little start-up CPU (README, Performance).
ENV GNUTLS_NO_IMPLICIT_INIT=1
# Also usable as a kubectl plugin: `kubectl token-warden report|audit`.
RUN ln -s token-warden /usr/local/bin/kubectl-token_warden
# A numeric non-root user (no /etc/passwd entry needed); matches runAsUser in deploy/.
USER 65532:65532
EXPOSE 8080
# Kubernetes probes /healthz and /readyz (deploy/); the image has no HTTP client for a
# Docker HEALTHCHECK.
HEALTHCHECK NONE
ENTRYPOINT ["token-warden", "run"]
