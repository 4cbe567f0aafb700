#!/usr/bin/env bash
# bench/run.sh — surveyd's speed and memory against the targets in the issue:
#
#   * reading a filled 30-field XLSX reply: >= 5,000 distinct files/s from
#     disk on one core, and >= 50x python3-openpyxl reading the same files;
#   * `surveyd import` of 1,000 replies end to end (parse, validate, store)
#     >= 20x faster than openpyxl merely loading them;
#   * peak memory of an import the same for 1,000 and 5,000 files.
#
# Usage: bash bench/run.sh   (or `make bench`), from anywhere.
# Environment: N (files, default 1000), BIG (files for the memory run,
# default 5000), ROUNDS (bench_parse rounds, default 5), RUNS (imports of
# N files, default 3), CC, B (build folder, default build).
#
# Replies are generated once into bench/.data/ (gitignored) by
# tests/fixtures/make_replies.py: the 63 sample-roster codes under seeds
# bench-1, bench-2, ..., so every file's bytes differ.  bench_parse.c times
# the readers, openpyxl_load.py the yardstick, rusage.c each import.  Prints
# a markdown table and writes it to bench/RESULTS.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
BIG=${BIG:-5000}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
B=${B:-build}
CC=${CC:-cc}
PY=/usr/bin/python3
DATA=bench/.data
REPLIES=$DATA/replies
ROSTER=rosters/sample-63.csv
FORM=forms/form-a
PKGS=(libzip expat freexl sqlite3 glib-2.0)
WARN=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wformat=2)

# The targets.
T_RATE=5000	# files/s on one core
T_VS_PY=50	# grid_read() against openpyxl reading the same files
T_IMPORT=20	# import against openpyxl load_workbook() alone
T_RSS=1.10	# peak RSS for BIG files over that for N files, at most

# shellcheck source=bench/lib.sh
. bench/lib.sh

# One value from a line of key=value pairs on stdin.
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

# --- build ------------------------------------------------------------------

make -s B="$B" all >&2
mkdir -p "$DATA"
read -ra PKG_CFLAGS <<<"$(pkg-config --cflags "${PKGS[@]}")"
read -ra PKG_LIBS <<<"$(pkg-config --libs "${PKGS[@]}")"
"$CC" "${WARN[@]}" -D_GNU_SOURCE -Iparsers -O2 -g "${PKG_CFLAGS[@]}" \
    -o "$DATA/bench_parse" bench/bench_parse.c "$B/libparsers.a" \
    "${PKG_LIBS[@]}" -lm
"$CC" "${WARN[@]}" -D_GNU_SOURCE -O2 -o "$DATA/rusage" bench/rusage.c

# --- replies ----------------------------------------------------------------

ncodes=$(($(wc -l <"$ROSTER") - 1))
max=$((N > BIG ? N : BIG))
seeds=$(((max + ncodes - 1) / ncodes))
todo=()
for ((s = 1; s <= seeds; s++)); do
	[ -e "$REPLIES/s$s/.done" ] || todo+=("$s")
done
if [ "${#todo[@]}" -gt 0 ]; then
	say "generating ${#todo[@]} x $ncodes replies into $REPLIES (once)"
	# shellcheck disable=SC2016	# expanded by the inner sh
	printf '%s\n' "${todo[@]}" | xargs -P "$(nproc)" -I{} sh -c '
	    rm -rf "$1/s$2" && mkdir -p "$1/s$2" &&
	    "$3" tests/fixtures/make_replies.py "$1/s$2" --variant good \
	        --form "$4" --roster "$5" --seed "bench-$2" >/dev/null &&
	    rm -f "$1/s$2"/*.expected.json && touch "$1/s$2/.done"' \
	    sh "$REPLIES" {} "$PY" "$FORM" "$ROSTER"
fi

mapfile -t ALL < <(for ((s = 1; s <= seeds; s++)); do
	ls "$REPLIES/s$s"/*.xlsx; done | head -n "$max")
FILES=("${ALL[@]:0:N}")
BIGFILES=("${ALL[@]:0:BIG}")
distinct=$(sha256sum "${ALL[@]}" | cut -d' ' -f1 | sort -u | wc -l)
if [ "$distinct" -ne "${#ALL[@]}" ]; then
	say "only $distinct of ${#ALL[@]} replies differ: remove $REPLIES"
	exit 1
fi
avgsize=$(calc "$(cat "${FILES[@]}" | wc -c) / $N / 1024" 1)

# --- measurements -------------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surveyd-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# import_run NAME FILE...: one `surveyd import` of every file into a fresh
# store, as a test would set it up; "wall user sys maxrss_kib" (wait4(), as
# /usr/bin/time -v has them, by bench/rusage.c) in $TMP/NAME/time.
import_run() {
	local dir=$TMP/$1 stored
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	cat >"$dir/surveyd.conf" <<-EOF
	[store]
	database = $dir/surveyd.db
	archive = $dir/archive

	[survey a]
	definition = $ROOT/$FORM
	roster = $ROOT/$ROSTER
	EOF
	if ! "$DATA/rusage" -r "$dir/time" -o "$dir/stdout" "$B/surveyd" -q \
	    -c "$dir/surveyd.conf" import "$@" 2>"$dir/stderr"; then
		say "surveyd import of $# files failed:"
		head -n 20 "$dir/stderr" >&2
		exit 1
	fi
	stored=$(grep -c ': stored as submission' "$dir/stdout" || true)
	if [ "$stored" -ne "$#" ]; then
		say "surveyd import stored $stored of $# files:"
		grep -v ': stored as submission' "$dir/stdout" | head >&2
		exit 1
	fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

say "bench_parse: grid_read(), $N files x $ROUNDS rounds"
P_IN=$("${PIN[@]}" "$DATA/bench_parse" -r "$ROUNDS" "${FILES[@]}")
say "  $P_IN"
say "bench_parse -s: sandbox_grid_read()"
P_SB=$("${PIN[@]}" "$DATA/bench_parse" -s -r "$ROUNDS" "${FILES[@]}")
say "  $P_SB"

say "openpyxl: $N files, default mode then read_only"
PY_OUT=$("${PIN[@]}" "$PY" bench/openpyxl_load.py "${FILES[@]}")
say "$PY_OUT"
PY_DEF=$(grep '^mode=default ' <<<"$PY_OUT")
PY_RO=$(grep '^mode=read_only ' <<<"$PY_OUT")

walls=() cpus=() I_RSS=0
for ((i = 1; i <= RUNS; i++)); do
	say "surveyd import: $N files, run $i of $RUNS"
	import_run "small$i" "${FILES[@]}"
	read -r wall user sys rss <"$TMP/small$i/time"
	say "  wall ${wall}s user ${user}s sys ${sys}s peak ${rss} KiB"
	walls+=("$wall")
	cpus+=("$(calc "$user + $sys" 3)")
	I_RSS=$((rss > I_RSS ? rss : I_RSS))
done
I_WALL=$(median "${walls[@]}")
I_CPU=$(median "${cpus[@]}")
say "surveyd import: $BIG files"
import_run big "${BIGFILES[@]}"
read -r G_WALL user sys G_RSS <"$TMP/big/time"
say "  wall ${G_WALL}s user ${user}s sys ${sys}s peak ${G_RSS} KiB"
G_CPU=$(calc "$user + $sys" 3)

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- figures ------------------------------------------------------------------

in_rate=$(field median_rate <<<"$P_IN")
in_best=$(field best_rate <<<"$P_IN")
in_us=$(field us_per_file <<<"$P_IN")
in_cpu_rate=$(field cpu_rate <<<"$P_IN")
sb_rate=$(field median_rate <<<"$P_SB")
sb_us=$(field us_per_file <<<"$P_SB")
sb_cpu_rate=$(field cpu_rate <<<"$P_SB")
py_rate=$(field rate <<<"$PY_DEF")
py_cpu_rate=$(field cpu_rate <<<"$PY_DEF")
py_load_s=$(field load_s <<<"$PY_DEF")
py_total_s=$(field total_s <<<"$PY_DEF")
ro_rate=$(field rate <<<"$PY_RO")
ro_total_s=$(field total_s <<<"$PY_RO")

vs_py=$(calc "$in_rate / $py_rate")
vs_py_cpu=$(calc "$in_cpu_rate / $py_cpu_rate")
vs_ro=$(calc "$in_rate / $ro_rate")
sb_vs_py=$(calc "$sb_rate / $py_rate")
imp_rate=$(calc "$N / $I_WALL")
imp_ms=$(calc "$I_WALL / $N * 1000" 2)
imp_vs=$(calc "$py_load_s / $I_WALL")
big_rate=$(calc "$BIG / $G_WALL")
rss_ratio=$(calc "$G_RSS / $I_RSS" 3)

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
if [ "${#PIN[@]}" -gt 0 ]; then
	pinned="pinned to CPU 0 with taskset"
else
	pinned="not pinned (no taskset)"
fi
pyxl=$("$PY" -c 'import openpyxl; print(openpyxl.__version__)')
pyver=$("$PY" -V 2>&1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- parsers daemon 2>/dev/null ||
    commit="$commit, with uncommitted changes in parsers/ or daemon/"

{
	cat <<-EOF
	# surveyd benchmark

	- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
	- Machine: $(nproc) CPUs, $cpu_model; $(uname -sr);
	  load average ${load_before} before, ${load_after} after
	- Build: $commit; the Makefile's flags (-O2 -g)
	- Files: $N distinct filled form-A replies (variant good, ${avgsize} KiB
	  on average), $BIG for the memory run, made by
	  tests/fixtures/make_replies.py into bench/.data/
	- Reading: bench/bench_parse.c (grid_read(), or sandbox_grid_read() with
	  -s) and bench/openpyxl_load.py (openpyxl $pyxl, $pyver), both
	  $pinned. Every file is opened, read and closed inside the timed loop,
	  from the page cache. bench_parse: median of $ROUNDS rounds after a
	  warm-up round; openpyxl: one pass per mode after a warm-up of 10 files.
	  "Per CPU second" divides by the CPU time used (both processes with -s),
	  which other load on the machine does not move.
	- Import: \`surveyd -q import\` of every file in one command into a fresh
	  store (database and archive under ${TMPDIR:-/tmp}), not pinned; wall
	  clock from fork to exit, median of $RUNS runs. Peak RSS is wait4()'s
	  (bench/rusage.c, as /usr/bin/time -v): the larger of surveyd and its
	  parser child.

	| Measure | Result | Target | Result / target | Met |
	|---|---|---|---|---|
	| Reading a reply: grid_read() in process, one core | $in_rate files/s ($in_us µs/file; best round $in_best); $in_cpu_rate per CPU second | ≥ $T_RATE files/s | $(calc "$in_rate / $T_RATE" 2) | $(meets "$in_rate" "$T_RATE") |
	| grid_read() against openpyxl, default mode: load + every cell of sheet 1 ($py_rate files/s) | ${vs_py}× (${vs_py_cpu}× per CPU second) | ≥ ${T_VS_PY}× | $(calc "$vs_py / $T_VS_PY" 2) | $(meets "$vs_py" "$T_VS_PY") |
	| grid_read() against openpyxl read_only ($ro_rate files/s) | ${vs_ro}× | | | |
	| Reading through the parser child: sandbox_grid_read(), one core | $sb_rate files/s ($sb_us µs/file); $sb_cpu_rate per CPU second; ${sb_vs_py}× openpyxl | | | |
	| \`surveyd import\` of $N files, end to end | ${I_WALL} s ($imp_ms ms/file, $imp_rate files/s); CPU ${I_CPU} s | | | |
	| import against openpyxl load_workbook() alone (${py_load_s} s for $N files) | ${imp_vs}× | ≥ ${T_IMPORT}× | $(calc "$imp_vs / $T_IMPORT" 2) | $(meets "$imp_vs" "$T_IMPORT") |
	| \`surveyd import\` of $BIG files | ${G_WALL} s ($big_rate files/s); CPU ${G_CPU} s | | | |
	| Peak RSS, import of $N then $BIG files | ${I_RSS} KiB, ${G_RSS} KiB | flat (≤ ${T_RSS}×) | ${rss_ratio}× | $(meets "$rss_ratio" "$T_RSS" le) |

	openpyxl on the $N files: default mode ${py_total_s} s in all
	(${py_load_s} s in load_workbook()), read_only mode ${ro_total_s} s.
	EOF
} | tee bench/RESULTS.md
