# shellcheck shell=bash disable=SC2034
# Shared helpers for the QEMU boot scenarios. Source it; do not run it.
#
# A scenario script sources this file, boots the image (image/qemu) with
# `boot` or `boot_bg`, asserts on the console, and ends with `pass`.
# Failures print one line "FAIL name: reason", then the console tail, and
# exit 1. Each scenario gets its own temp dir $T, removed on exit.
#
# Environment:
#   IMAGE         image dir (default build/image; relative to cwd or repo)
#   BOOT_TIMEOUT  seconds before a boot is killed (default 60; TCG is slow)
#   QEMU_ACCEL    passed through to image/qemu (default tcg)
#   KEEP=1        keep $T for inspection

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCENARIO=$(basename "$0")
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
SEALED='stele: sealed'
REFUSED='stele: refusing to boot'
# Keeps refusal scenarios short: stage 1 stops waiting for devices early.
QUICK=stele.device_timeout=2
export PATH=$PATH:/usr/sbin:/sbin

IMAGE=${IMAGE:-build/image}
if [ ! -d "$IMAGE" ] && [ -d "$REPO/$IMAGE" ]; then
	IMAGE=$REPO/$IMAGE
fi
if [ -d "$IMAGE" ]; then IMAGE=$(cd "$IMAGE" && pwd); fi

T=$(mktemp -d "${TMPDIR:-/tmp}/stele-test.$SCENARIO.XXXXXX")
CONSOLE=
QEMU_PID=
BOOT_RC=
BOOT_SECS=

cleanup() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "$SCENARIO: kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

console_tail() {
	[ -n "$CONSOLE" ] && [ -s "$CONSOLE" ] || return 0
	echo "--- console tail ($CONSOLE) ---"
	tail -n 25 "$CONSOLE" |
		sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g' | tr -d '\r' | cut -c1-160
	echo "---"
}

fail() {
	echo "FAIL $SCENARIO: $*"
	console_tail
	exit 1
}

pass() {
	echo "PASS $SCENARIO${1:+: $1}"
	exit 0
}

need_image() {
	local f
	for f in vmlinuz initrd.img disk.raw cmdline roothash root.erofs root.verity; do
		[ -f "$IMAGE/$f" ] || fail "no $f in image dir '$IMAGE' (run make image)"
	done
}

now() { date +%s; }

# boot NAME [image/qemu args...]: boot with the console in $T/NAME.console,
# killed after BOOT_TIMEOUT. Sets CONSOLE, BOOT_RC (124 = killed), BOOT_SECS.
boot() {
	local name=$1 t0
	shift
	CONSOLE=$T/$name.console
	: >"$CONSOLE"
	t0=$(now)
	BOOT_RC=0
	"$REPO/image/qemu" --image "$IMAGE" --serial "$CONSOLE" \
		--timeout "$BOOT_TIMEOUT" "$@" 2>"$T/$name.stderr" || BOOT_RC=$?
	BOOT_SECS=$(( $(now) - t0 ))
}

# boot_bg NAME [args...]: like boot, in the background. Sets QEMU_PID and
# BOOT_T0; collect with wait_exit. The hard kill comes 30 s after
# BOOT_TIMEOUT, leaving room for what the scenario does once booted.
boot_bg() {
	local name=$1
	shift
	CONSOLE=$T/$name.console
	: >"$CONSOLE"
	BOOT_T0=$(now)
	"$REPO/image/qemu" --image "$IMAGE" --serial "$CONSOLE" \
		--timeout $(( BOOT_TIMEOUT + 30 )) "$@" 2>"$T/$name.stderr" &
	QEMU_PID=$!
}

# wait_console STRING [SECS]: 0 once the console shows STRING; 1 if QEMU
# exited or SECS (default BOOT_TIMEOUT) passed first.
wait_console() {
	local s=$1 deadline=$(( $(now) + ${2:-$BOOT_TIMEOUT} ))
	while [ "$(now)" -le "$deadline" ]; do
		grep -qaF -- "$s" "$CONSOLE" && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || {
			grep -qaF -- "$s" "$CONSOLE"
			return
		}
		sleep 0.2
	done
	return 1
}

# wait_exit SECS: 0 if the background QEMU exits within SECS (sets BOOT_RC,
# BOOT_SECS); 1 if it is still running (it is then left for cleanup).
wait_exit() {
	local deadline=$(( $(now) + $1 ))
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		[ "$(now)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
	BOOT_RC=0
	wait "$QEMU_PID" || BOOT_RC=$?
	QEMU_PID=
	BOOT_SECS=$(( $(now) - BOOT_T0 ))
}

# initrd_files IMG: the paths in initrd.img IMG, whatever it is packed with.
initrd_files() {
	local unpack=(cat)
	case $(head -c 4 "$1" | od -An -tx1 | tr -d ' \n') in
	1f8b*) unpack=(gzip -dc) ;;
	28b52ffd) unpack=(zstd -dc) ;;
	02214c18) unpack=(lz4 -dc) ;;
	esac
	"${unpack[@]}" <"$1" | cpio -it --quiet 2>/dev/null
}

assert_contains() {
	grep -qaF -- "$1" "$CONSOLE" || fail "console lacks '$1'${2:+ ($2)}"
}

assert_not_contains() {
	grep -qaF -- "$1" "$CONSOLE" && fail "console shows '$1'${2:+ ($2)}"
	return 0
}

# assert_refused WHAT: stage 1 printed exactly one refusal line, and it
# names WHAT.
assert_refused() {
	local lines
	lines=$(tr -d '\r' <"$CONSOLE" | grep -ao "$REFUSED: .*" || true)
	[ -n "$lines" ] || fail "no '$REFUSED: ' line"
	[ "$(printf '%s\n' "$lines" | wc -l)" -eq 1 ] || fail "more than one refusal line"
	case $lines in *"$1"*) ;; *) fail "refusal does not name '$1': $lines" ;; esac
}

# assert_exited [MAX_SECS]: QEMU stopped by itself (poweroff, or reboot under
# -no-reboot), not killed by the timeout, within MAX_SECS of the start.
assert_exited() {
	local max=${1:-$BOOT_TIMEOUT}
	[ "$BOOT_RC" != 124 ] || fail "QEMU did not exit by itself within ${BOOT_TIMEOUT}s (killed)"
	[ "$BOOT_SECS" -le "$max" ] || fail "QEMU exited only after ${BOOT_SECS}s (bound ${max}s)"
	case $BOOT_RC in
	0) ;;
	*) fail "QEMU exited with status $BOOT_RC: $(tail -n1 "$T"/*.stderr 2>/dev/null | tr '\n' ' ')" ;;
	esac
}

# cmdline_without KEY: the image's command line minus every KEY=... word.
cmdline_without() {
	local w out='' words
	read -ra words <"$IMAGE/cmdline"
	for w in "${words[@]}"; do
		case $w in "$1"=*) ;; *) out="$out $w" ;; esac
	done
	echo "${out# }"
}

# flip_byte SRC DST OFFSET: DST = copy of SRC with the byte at OFFSET
# inverted (xor 0xff: always a change).
flip_byte() {
	local src=$1 dst=$2 off=$3 b
	[ "$src" = "$dst" ] || cp --sparse=always "$src" "$dst"
	b=$(od -An -tu1 -j "$off" -N1 "$dst" | tr -d ' ')
	[ -n "$b" ] || fail "flip_byte: offset $off beyond end of $dst"
	# shellcheck disable=SC2059 # the format is the escape for one byte
	printf "\\$(printf %03o $(( b ^ 0xff )))" |
		dd of="$dst" bs=1 seek="$off" conv=notrunc status=none
}

# part_field DISK N FIELD: start/size (in bytes) of partition N (1-based),
# read from sfdisk -J.
part_field() {
	sfdisk -J "$1" | python3 -c '
import json, sys
t = json.load(sys.stdin)["partitiontable"]
p = t["partitions"][int(sys.argv[1]) - 1]
print(p[sys.argv[2]] * t.get("sectorsize", 512))' "$2" "$3"
}
part_offset() { part_field "$1" "$2" start; }
part_size() { part_field "$1" "$2" size; }

# send_console SOCKET TEXT: TEXT's bytes typed on the console served at
# SOCKET (image/qemu --serial-socket); use $'...' for control characters.
# Whatever the guest prints meanwhile is read and dropped (the --serial log
# has it), so that QEMU never waits on a full socket.
send_console() {
	python3 - "$1" "$2" <<'EOF'
import os, socket, sys, time
path, data = sys.argv[1], os.fsencode(sys.argv[2])
for _ in range(50):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("send_console: cannot connect to " + path)
s.sendall(data)
s.settimeout(0.1)
end = time.monotonic() + 0.5
while time.monotonic() < end:
    try:
        if not s.recv(4096):
            break
    except socket.timeout:
        pass
s.close()
EOF
}

# qmp SOCKET COMMAND: one QMP command (e.g. system_powerdown) over the
# unix socket QEMU was started with (--qmp).
qmp() {
	python3 - "$1" "$2" <<'EOF'
import json, socket, sys, time
path, cmd = sys.argv[1], sys.argv[2]
for _ in range(50):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("qmp: cannot connect to " + path)
f = s.makefile("rw")
def reply():
    while True:
        m = json.loads(f.readline())
        if "return" in m or "error" in m or "QMP" in m:
            return m
reply()
for c in ("qmp_capabilities", cmd):
    f.write(json.dumps({"execute": c}) + "\n")
    f.flush()
    m = reply()
    if "error" in m:
        sys.exit("qmp: %s: %s" % (c, m["error"].get("desc")))
EOF
}

# --- the collector on the host's loopback (10.0.2.2 from the guest) -------

# free_port: a TCP port nothing listens on right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# collector_start [PKI_DIR]: starts build/collector on 127.0.0.1 with
# records in $T/records, its log in $T/collector.log. Sets COLLECTOR_PORT
# (kept across restarts), METRICS_PORT, COLLECTOR_PID, and AGENT_TO (the
# kernel parameter pointing the guest's agent at it).
collector_start() {
	local pki=${1:-$REPO/build/pki}
	: "${COLLECTOR_PORT:=$(free_port)}" "${METRICS_PORT:=$(free_port)}"
	mkdir -p "$T/records"
	"$REPO/build/collector" --listen "127.0.0.1:$COLLECTOR_PORT" --client-ca "$pki/client-ca.crt" \
		--cert "$pki/collector.crt" --key "$pki/collector.key" --out "$T/records" \
		--metrics "127.0.0.1:$METRICS_PORT" 2>>"$T/collector.log" &
	COLLECTOR_PID=$!
	AGENT_TO="stele.collector=10.0.2.2:$COLLECTOR_PORT/collector"
	local i
	for i in $(seq 50); do
		grep -q "listening on" "$T/collector.log" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "collector did not start: $(tail -n2 "$T/collector.log")"
}

collector_stop() {
	[ -n "${COLLECTOR_PID:-}" ] || return 0
	kill "$COLLECTOR_PID" 2>/dev/null || true
	wait "$COLLECTOR_PID" 2>/dev/null || true
	COLLECTOR_PID=
}

# records: every JSON line the collector wrote, from all hosts and boots.
records() { cat "$T"/records/*/*.jsonl 2>/dev/null || true; }

# wait_record STRING [SECS]: 0 once a record line contains STRING.
wait_record() {
	local deadline=$(( $(now) + ${2:-$BOOT_TIMEOUT} ))
	while [ "$(now)" -le "$deadline" ]; do
		records | grep -qF -- "$1" && return 0
		sleep 0.5
	done
	return 1
}

# The collector dies with the scenario.
trap 'collector_stop; cleanup' EXIT

# --- signed root hash (DPS root verity signature partition) ---------------

VERITY_SIG_TYPE=41092B05-9FC8-4523-994F-2DEF0408B176

# sig_partition DISK: the number of DISK's root verity signature partition.
sig_partition() {
	sfdisk -J "$1" | python3 -c '
import json, sys
ps = json.load(sys.stdin)["partitiontable"]["partitions"]
n = [i + 1 for i, p in enumerate(ps) if p["type"].upper() == sys.argv[1]]
print(n[0] if n else "")' "$VERITY_SIG_TYPE"
}

# write_sig DISK JSON: JSON, NUL-padded, as DISK's signature partition.
write_sig() {
	local disk=$1 n off size
	n=$(sig_partition "$disk")
	[ -n "$n" ] || fail "no root verity signature partition in $disk"
	off=$(part_offset "$disk" "$n")
	size=$(part_size "$disk" "$n")
	[ ${#2} -lt "$size" ] || fail "signature JSON larger than its partition"
	{ printf '%s' "$2"; head -c $(( size - ${#2} )) /dev/zero; } |
		dd of="$disk" bs=4096 seek=$(( off / 4096 )) conv=notrunc status=none
}

# sign_json ROOTHASH KEY CERT: the DPS JSON for ROOTHASH signed with KEY,
# as image/build-image writes it.
sign_json() {
	local sig fpr
	sig=$(printf '%s' "$1" | openssl smime -sign -binary -noattr -outform DER \
		-signer "$3" -inkey "$2" | base64 -w0) || fail "openssl smime -sign failed"
	fpr=$(openssl x509 -in "$3" -outform DER | sha256sum | cut -c1-64)
	printf '{"rootHash":"%s","certificateFingerprint":"%s","signature":"%s"}' "$1" "$fpr" "$sig"
}

# The signed image (make qemu-tests builds it with the test signing key).
SIGNED_IMAGE=${SIGNED_IMAGE:-$REPO/build/signed-image}
