#!/usr/bin/env bash
# Installs the Debian packages elv needs to build and test, only those missing.
# Idempotent: a second run installs nothing. Run as root (CI and the dev machine are root);
# otherwise it uses sudo when available.
# ELV_DEPS_NO_BROWSER=1 skips the browser-test tools (node, npm ci): the container build
# (Dockerfile) needs only the compilers and libraries.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libyaml-cpp-dev       # config files (§3)
  nlohmann-json3-dev    # metadata.json, data_profile.json, model.json
  libcli11-dev          # command-line parsing
  libfast-float-dev     # number parsing in the CSV hot path
  zlib1g-dev            # gzip reading in tests
  libisal-dev           # table.csv.gz and other .gz outputs: fast gzip compression (ISA-L)
  libssl-dev            # MD5 for targeting hash buckets (OpenSSL EVP)
  libgtest-dev libgmock-dev   # unit tests
  python3                     # end-to-end tests read JSON artifacts with it
  libxgboost-dev xgboost      # gbdt models (xgboost's CMake config needs the binary package)
  libeigen3-dev               # logistic regression
  libcpp-httplib-dev          # elv serve; also the fake Gemini server of the advisor tests
  libcurl4-openssl-dev        # elv advise: HTTPS to the Gemini API (TLS verified, proxies honoured)
  libmd4c-dev                 # parses the advisor's Markdown answer (report, web app)
  libcctz-dev tzdata          # csv.timezone: local timestamps to UTC (zone rules from tzdata)
  curl                        # e2e test of elv serve talks HTTP to the process
  libxml2-dev                 # unit tests parse report.html with libxml2's HTML parser
  chromium                    # e2e test renders report.html headless and keeps a screenshot
  clang                       # make fuzz: libFuzzer targets are built with clang++ (issue 6)
  libclang-rt-14-dev          # make fuzz: libFuzzer and clang's sanitizer runtimes
  llvm                        # llvm-symbolizer: readable stacks in sanitizer and fuzzer reports
  clang-format clang-tidy     # make lint: the style (.clang-format) and bug checks (.clang-tidy)
  ccache                      # compiled objects kept between builds and clones (Makefile)
  libopencv-core-dev libopencv-imgproc-dev   # elv creative-analyze: pixels, resizing, drawing
  libopencv-imgcodecs-dev     # creative-analyze: PNG, JPEG, WebP, BMP decoding
  libopencv-videoio-dev       # creative-analyze: video frames (FFmpeg backend: MP4, MOV, WebM, MKV, GIF)
  libopencv-dnn-dev           # creative-analyze --encoder onnx: image encoders exported to ONNX
  libzip-dev                  # creative_embeddings.npz (a zip of .npy files); zip uploads in elv serve
  python3-numpy python3-onnx  # creative tests: read the .npz back, build a tiny ONNX model
  ffmpeg                      # creative tests: make GIF, WebM and MKV clips
  python3-distributed         # batch-score as a Dask task: a LocalCluster in tests/e2e/test_dask_partitions.sh
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The browser tests of elv serve: node, npm and tests/browser/node_modules (npm ci).
browser_deps() {
  if [ "${ELV_DEPS_NO_BROWSER:-0}" = 1 ]; then return 0; fi
  "$(dirname "${BASH_SOURCE[0]}")/install-browser-deps.sh"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  browser_deps
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
browser_deps
