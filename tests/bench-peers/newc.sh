# shellcheck shell=bash
# Sourced by tests/bench-peers/boots: a newc cpio entry on stdout, as
# image/build-image writes them (its reasons there): deterministic and able
# to carry device nodes without root.
#   newc_entry NAME MODE INO NLINK RMAJ RMIN [FILE]
newc_entry() {
	local name=$1 mode=$2 ino=$3 nlink=$4 rmaj=$5 rmin=$6 file=${7:-}
	local fsize=0 namesize=$(( ${#1} + 1 ))
	[ -z "$file" ] || fsize=$(stat -c %s "$file")
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		"$ino" "$mode" 0 0 "$nlink" "${SOURCE_DATE_EPOCH:-0}" "$fsize" \
		0 0 "$rmaj" "$rmin" "$namesize" 0 "$name"
	head -c $(( (4 - (110 + namesize) % 4) % 4 )) /dev/zero
	if [ -n "$file" ]; then
		cat "$file"
		head -c $(( (4 - fsize % 4) % 4 )) /dev/zero
	fi
}
