# bench/lib.sh — what the benchmark scripts share: messages, arithmetic,
# the target check, medians, and pinning to one core.  Sourced.

say() { printf '%s\n' "$*" >&2; }

# calc EXPR [DECIMALS]
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# meets VALUE TARGET [le]: "yes" when VALUE >= TARGET (<= with le).
meets() {
	local op='>='
	[ "${3:-ge}" = le ] && op='<='
	awk "BEGIN { print ($1 $op $2) ? \"yes\" : \"**no**\" }"
}

# median of the numbers given
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	PIN=(taskset -c 0)
else
	say "taskset is not available: the figures are not pinned to one core"
fi
