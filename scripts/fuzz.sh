#!/usr/bin/env bash
# Fuzz the parsers that read users' files, with libFuzzer (swiftc -sanitize=fuzzer).
#
#   scripts/fuzz.sh [TARGET...]      build and run each target (default: all) for FUZZ_SECONDS
#   scripts/fuzz.sh --check          exit 0 when this toolchain can build fuzzers, else 1 (says why)
#   scripts/fuzz.sh --build [TARGET...]   build only
#
# Targets: csv (CSVReader), json (JSON parser + RecordsRequest.parse), replay-log (NDJSON request
# logs), replay-har (HAR captures). See Fuzz/README.md.
#
# Environment:
#   FUZZ_SECONDS  seconds per target (default 30)
#   FUZZ_DIR      where binaries, corpora and crash files go (default .build/fuzz)
#   FUZZ_ARGS     extra libFuzzer flags (for example "-jobs=2 -workers=2")
#
# SwiftPM cannot build a target with -sanitize=fuzzer, so this script compiles the modules under
# test itself, instrumented, against the module interfaces and objects of an ordinary
# `swift build --target …` (which it runs first): Formats, Catalogue and Engine for json, plus Replay for the
# replay targets; the CSV reader is compiled straight into its fuzzer. Dependencies (swift-collections'
# OrderedCollections, Persistence, Storage, Ingest, Explain (which Replay reads why --batch rows through), swift-crypto…) are linked from the SwiftPM build
# uninstrumented, so coverage guides the fuzzer through our code only.
#
# Exit status: 0 when every target ran without a crash; 1 when a target crashed (the input is
# saved as FUZZ_DIR/crashes/TARGET/crash-…, reproduce with: FUZZ_DIR/bin/fuzz-TARGET FILE);
# 2 on a build failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
OUT="${FUZZ_DIR:-$ROOT/.build/fuzz}"
ALL_TARGETS=(csv json replay-log replay-har)
SWIFTC="${SWIFTC:-swiftc}"
# Crashes must reach libFuzzer's own handler, which saves the input; the Swift runtime's
# backtracer would otherwise take the signal first.
export SWIFT_BACKTRACE=enable=no

mode=run
targets=()
for arg in "$@"; do
    case "$arg" in
        --check) mode=check ;;
        --build) mode=build ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        csv|json|replay-log|replay-har) targets+=("$arg") ;;
        *) echo "fuzz.sh: unknown target or flag '$arg' (targets: ${ALL_TARGETS[*]})" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")

# --- Can this toolchain build a fuzzer? -------------------------------------------------------
check_toolchain() {
    local dir
    dir="$(mktemp -d)"
    cat > "$dir/probe.swift" <<'EOF'
@_cdecl("LLVMFuzzerTestOneInput")
public func probe(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 { 0 }
EOF
    if ! "$SWIFTC" -sanitize=fuzzer -parse-as-library "$dir/probe.swift" -o "$dir/probe" > "$dir/log" 2>&1; then
        echo "fuzz.sh: '$SWIFTC -sanitize=fuzzer -parse-as-library' fails on this toolchain:" >&2
        sed 's/^/  /' "$dir/log" >&2
        rm -rf "$dir"
        return 1
    fi
    if ! "$dir/probe" -runs=10 > "$dir/log" 2>&1; then
        echo "fuzz.sh: a fuzzer builds but does not run:" >&2
        sed 's/^/  /' "$dir/log" >&2
        rm -rf "$dir"
        return 1
    fi
    rm -rf "$dir"
}

if [ "$mode" = check ]; then
    check_toolchain && echo "fuzz.sh: $("$SWIFTC" --version 2>&1 | head -1) builds libFuzzer targets"
    exit $?
fi
check_toolchain || exit 2

# --- Build --------------------------------------------------------------------------------------
BIN="$(swift build --show-bin-path)"
MODULES="$BIN/Modules"
mkdir -p "$OUT/modules" "$OUT/obj" "$OUT/bin"

# The modules each fuzzer links from the SwiftPM build, uninstrumented: the dependency closure
# of what it compiles itself (Package.swift; swift-collections and swift-crypto targets included).
JSON_DEPENDENCIES=(Persistence Migrations Storage OrderedCollections InternalCollectionsUtilities)
REPLAY_DEPENDENCIES=("${JSON_DEPENDENCIES[@]}" Ingest Explain Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims)

built_swiftpm=()
swiftpm_build() {   # swiftpm_build TARGET: `swift build --target TARGET`, once
    local target="$1"
    [[ " ${built_swiftpm[*]:-} " == *" $target "* ]] && return
    echo "fuzz.sh: swift build --target $target (its dependencies are linked from it)" >&2
    swift build --target "$target" >&2 || { echo "fuzz.sh: swift build --target $target failed" >&2; exit 2; }
    built_swiftpm+=("$target")
}

COMMON_FLAGS=(-sanitize=fuzzer -parse-as-library -swift-version 6 -O -g -enable-testing -package-name main
              -I "$OUT/modules" -I "$MODULES" -Xcc "-fmodule-map-file=$ROOT/Sources/CSQLite/module.modulemap")

# compile_module NAME FILES… : one instrumented module, an object and a .swiftmodule in $OUT.
compile_module() {
    local name="$1"; shift
    echo "fuzz.sh: compiling $name (instrumented)" >&2
    "$SWIFTC" "${COMMON_FLAGS[@]}" -module-name "$name" -wmo -c "$@" \
        -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" -o "$OUT/obj/$name.o" \
        || { echo "fuzz.sh: compiling $name failed" >&2; exit 2; }
}

# link_fuzzer TARGET MAIN_FILE "INSTRUMENTED…" DEPENDENCY… : the fuzzer binary, with the
# instrumented modules compiled here and the dependencies' objects from the SwiftPM build.
link_fuzzer() {
    local target="$1" main="$2" instrumented="$3"; shift 3
    local list="$OUT/obj/$target.link" objects=()
    for module in $instrumented; do objects+=("$OUT/obj/$module.o"); done
    : > "$list"
    for module in "$@"; do
        # A response file: one quoted path a line (some object names hold spaces).
        find "$BIN/$module.build" -name '*.o' | sort | sed "s/.*/'&'/" >> "$list"
    done
    echo "fuzz.sh: linking fuzz-$target" >&2
    "$SWIFTC" "${COMMON_FLAGS[@]}" -module-name "Fuzz_${target//-/_}" "$main" "${objects[@]}" "@$list" \
        -L/usr/lib/x86_64-linux-gnu -lsqlite3 -lstdc++ -o "$OUT/bin/fuzz-$target" \
        || { echo "fuzz.sh: linking fuzz-$target failed" >&2; exit 2; }
}

sources() { find "$1" -name '*.swift' | sort; }

built_formats_catalogue_engine=false
build_formats_catalogue_engine() {
    $built_formats_catalogue_engine && return
    swiftpm_build Engine
    # shellcheck disable=SC2046
    compile_module Formats $(sources Sources/Formats)
    # shellcheck disable=SC2046
    compile_module Catalogue $(sources Sources/Catalogue)
    # shellcheck disable=SC2046
    compile_module Engine $(sources Sources/Engine)
    built_formats_catalogue_engine=true
}

built_replay=false
build_replay() {
    $built_replay && return
    swiftpm_build Replay
    build_formats_catalogue_engine
    # The hooks file reaches the internal readers with bytes; it is compiled into Replay here only.
    # shellcheck disable=SC2046
    compile_module Replay $(sources Sources/Replay) Fuzz/Hooks/ReplayFuzzHooks.swift
    built_replay=true
}

build_target() {
    case "$1" in
        csv)
            echo "fuzz.sh: building fuzz-csv" >&2
            "$SWIFTC" -sanitize=fuzzer -parse-as-library -swift-version 6 -O -g -module-name FuzzCSV \
                Sources/Formats/CSVReader.swift Fuzz/CSVReaderFuzz.swift -o "$OUT/bin/fuzz-csv" \
                || { echo "fuzz.sh: building fuzz-csv failed" >&2; exit 2; }
            ;;
        json)
            build_formats_catalogue_engine
            link_fuzzer json Fuzz/JSONFuzz.swift "Formats Catalogue Engine" "${JSON_DEPENDENCIES[@]}"
            ;;
        replay-log)
            build_replay
            link_fuzzer replay-log Fuzz/ReplayLogFuzz.swift "Formats Catalogue Engine Replay" "${REPLAY_DEPENDENCIES[@]}"
            ;;
        replay-har)
            build_replay
            link_fuzzer replay-har Fuzz/ReplayHARFuzz.swift "Formats Catalogue Engine Replay" "${REPLAY_DEPENDENCIES[@]}"
            ;;
    esac
}

# --- Seed corpora ---------------------------------------------------------------------------------
# From Samples/ (whatever the samples generator has written) and the hand-written seeds in Fuzz/seeds.
seed_corpus() {
    local target="$1" dir="$OUT/corpus/$1"
    mkdir -p "$dir"
    local patterns=()
    case "$target" in
        csv) patterns=("*.csv") ;;
        json) patterns=("*.json" "*.ndjson") ;;
        replay-log) patterns=("*.ndjson" "*.jsonl") ;;
        replay-har) patterns=("*.har") ;;
    esac
    for pattern in "${patterns[@]}"; do
        # Samples can be large; libFuzzer works best from small seeds, so take the first 64 KiB.
        find Samples "Fuzz/seeds/$target" -type f -name "$pattern" 2>/dev/null | while read -r file; do
            head -c 65536 "$file" > "$dir/seed-$(printf '%s' "$file" | cksum | cut -d' ' -f1)"
        done
    done
    if [ -d "Fuzz/seeds/$target" ]; then
        find "Fuzz/seeds/$target" -type f | while read -r file; do cp "$file" "$dir/seed-$(basename "$file")"; done
    fi
}

for target in "${targets[@]}"; do build_target "$target"; done
[ "$mode" = build ] && { echo "fuzz.sh: built ${targets[*]} in $OUT/bin" >&2; exit 0; }

# --- Run ----------------------------------------------------------------------------------------------
status=0
for target in "${targets[@]}"; do
    seed_corpus "$target"
    mkdir -p "$OUT/crashes/$target"
    echo "fuzz.sh: running fuzz-$target for ${SECONDS_PER_TARGET}s (corpus $OUT/corpus/$target)" >&2
    # -timeout: an input that takes more than 10 s is a hang; -rss_limit_mb: a leak or a blow-up.
    # shellcheck disable=SC2086
    if ! "$OUT/bin/fuzz-$target" "$OUT/corpus/$target" \
            -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$OUT/crashes/$target/" -print_final_stats=1 ${FUZZ_ARGS:-} \
            2> "$OUT/$target.log"; then
        echo "fuzz.sh: fuzz-$target FOUND A CRASH; see $OUT/$target.log and $OUT/crashes/$target/" >&2
        tail -40 "$OUT/$target.log" >&2
        status=1
    else
        echo "fuzz.sh: fuzz-$target: no crash ($(grep -E 'stat::number_of_executed_units' "$OUT/$target.log" | awk '{print $2}') runs)" >&2
    fi
done
exit $status
