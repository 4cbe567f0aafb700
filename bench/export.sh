#!/usr/bin/env bash
# bench/export.sh — `surveyd export` against the targets in issue 3:
#
#   * the consolidated workbook of 10,000 respondents x 40 fields in under
#     1 second on this machine,
#   * at least 10x faster than python3-openpyxl's write-only mode writing
#     the same table in the same run,
#   * peak memory under 50 MB.
#
# Usage: bash bench/export.sh, from anywhere.  Environment: N (respondents,
# default 10000), RUNS (exports timed, default 5), PYRUNS (openpyxl runs,
# default 3), CC, B (build folder, default build).
#
# bench/export_data.py makes the survey once into bench/.data/export-N/ (a
# 40-field definition, the roster, a store where everyone has an accepted
# answer); bench/rusage.c times each export; bench/openpyxl_write.py is the
# yardstick.  Prints a markdown section and appends it to
# bench/RESULTS-export.md.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-5}
PYRUNS=${PYRUNS:-3}
B=${B:-build}
CC=${CC:-cc}
PY=/usr/bin/python3
DATA=bench/.data
SURVEY=$DATA/export-$N
WARN=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wformat=2)

T_WALL=1	# seconds
T_VS_PY=10	# openpyxl write-only over surveyd
T_RSS=51200	# KiB

# shellcheck source=bench/lib.sh
. bench/lib.sh

make -s B="$B" all >&2
mkdir -p "$DATA"
"$CC" "${WARN[@]}" -D_GNU_SOURCE -O2 -o "$DATA/rusage" bench/rusage.c

if [ ! -e "$SURVEY/.done" ]; then
	say "making a survey of $N respondents x 40 fields in $SURVEY (once)"
	rm -rf "$SURVEY"
	"$PY" bench/export_data.py "$SURVEY" --respondents "$N"
	"$B/surveyd" -q -c "$SURVEY/surveyd.conf" status >/dev/null
	"$PY" bench/export_data.py "$SURVEY" --respondents "$N" --fill
	touch "$SURVEY/.done"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surveyd-bench-export.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# export_run NAME ARGS...: one export into $TMP; its figures in $TMP/NAME.
export_run() {
	local name=$1
	shift
	"${PIN[@]}" "$DATA/rusage" -r "$TMP/$name" -o /dev/null "$B/surveyd" -q \
	    -c "$SURVEY/surveyd.conf" export "$@" || {
		say "surveyd export failed"
		exit 1
	}
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
walls=() cpus=() RSS=0
export_run warm -o "$TMP/out.xlsx"
for ((i = 1; i <= RUNS; i++)); do
	export_run "run$i" -o "$TMP/out.xlsx"
	read -r wall user sys rss <"$TMP/run$i"
	say "surveyd export, run $i of $RUNS: wall ${wall}s user ${user}s sys ${sys}s peak ${rss} KiB"
	walls+=("$wall")
	cpus+=("$(calc "$user + $sys" 3)")
	RSS=$((rss > RSS ? rss : RSS))
done
WALL=$(median "${walls[@]}")
CPU=$(median "${cpus[@]}")
BEST=$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)
export_run csv -o "$TMP/csv.xlsx" --csv "$TMP/out.csv"
read -r CSV_WALL _ _ CSV_RSS <"$TMP/csv"
XLSX_BYTES=$(stat -c %s "$TMP/out.xlsx")

# What deflate alone costs: libxlsxwriter compresses every part at zlib's
# default level, which no option changes; the same parts, recompressed.
read -r XML_BYTES DEFLATE_S < <("$PY" - "$TMP/out.xlsx" <<'EOF'
import sys, time, zipfile, zlib
z = zipfile.ZipFile(sys.argv[1])
parts = [z.read(i) for i in z.infolist()]
t = time.perf_counter()
for p in parts:
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    c.compress(p)
    c.flush()
print(sum(map(len, parts)), f"{time.perf_counter() - t:.3f}")
EOF
)

py_walls=() py_cpus=()
for ((i = 1; i <= PYRUNS; i++)); do
	out=$("${PIN[@]}" "$PY" bench/openpyxl_write.py "$SURVEY/form" \
	    "$TMP/out.csv" "$TMP/py.xlsx")
	say "openpyxl write-only, run $i of $PYRUNS: $out"
	py_walls+=("$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$out")")
	py_cpus+=("$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' <<<"$out")")
	PY_CELLS=$(sed -n 's/.*rows=\([0-9]*\) columns=\([0-9]*\).*/\1 x \2/p' <<<"$out")
done
PY_WALL=$(median "${py_walls[@]}")
PY_CPU=$(median "${py_cpus[@]}")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

VS=$(calc "$PY_WALL / $WALL" 1)
VS_CPU=$(calc "$PY_CPU / $CPU" 1)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- export daemon 2>/dev/null &&
    [ -z "$(git status --porcelain -- export daemon 2>/dev/null)" ] ||
    commit="$commit, with uncommitted changes in export/ or daemon/"
# pkg-config has the library's soname version; the header has the release.
LXW=$(sed -n 's/^#define LXW_VERSION "\(.*\)"/\1/p' \
    "$(pkg-config --variable=includedir xlsxwriter)/xlsxwriter.h")
pinned="not pinned (no taskset)"
[ "${#PIN[@]}" -gt 0 ] && pinned="pinned to CPU 0 with taskset"

[ -e bench/RESULTS-export.md ] || printf '%s\n' "# surveyd export benchmark" "" \
    "bench/export.sh appends a section per run; the newest is last." \
    >bench/RESULTS-export.md
{
	cat <<-EOF

	## Export, $(date -u '+%Y-%m-%d %H:%M UTC')

	- Machine: $(nproc) CPUs, $cpu_model; $(uname -sr); load average
	  ${load_before} before, ${load_after} after
	- Build: $commit; the Makefile's flags (-O2 -g); libxlsxwriter
	  $LXW, openpyxl $("$PY" -c 'import openpyxl; print(openpyxl.__version__)')
	- Survey: $N respondents x 40 fields (22 integer, 6 decimal, 2 date, 4
	  select_one, 2 select_multiple, 4 text), every respondent with an
	  accepted answer, made by bench/export_data.py in $SURVEY
	- \`surveyd -q export -o FILE.xlsx\`, $pinned: wall clock from fork to
	  exit (bench/rusage.c), median of $RUNS runs after a warm-up; peak RSS
	  is wait4()'s.  It reads the store and writes all five sheets
	  ($(calc "$XLSX_BYTES / 1048576" 1) MiB; $(calc "$XML_BYTES / 1048576" 1) MiB of XML inside).
	- openpyxl: bench/openpyxl_write.py, write-only mode, the \`Dữ liệu\`
	  table only ($PY_CELLS cells, from surveyd's CSV of the same run,
	  built before the clock starts), median of $PYRUNS runs, $pinned.

	| Measure | Result | Target | Met |
	|---|---|---|---|
	| \`surveyd export\`, $N x 40 | ${WALL} s (best ${BEST} s); CPU ${CPU} s | < ${T_WALL} s | $(meets "$WALL" "$T_WALL" le) |
	| against openpyxl write-only (${PY_WALL} s; CPU ${PY_CPU} s) | ${VS}× (${VS_CPU}× per CPU second) | ≥ ${T_VS_PY}× | $(meets "$VS" "$T_VS_PY") |
	| Peak RSS | ${RSS} KiB | < ${T_RSS} KiB | $(meets "$RSS" "$T_RSS" le) |
	| with \`--csv\` as well | ${CSV_WALL} s, ${CSV_RSS} KiB | | |
	| zlib deflate alone of the same parts at libxlsxwriter's level | ${DEFLATE_S} s | | |
	EOF
} | tee -a bench/RESULTS-export.md
