# shellcheck shell=bash disable=SC2034
# Helpers for the metadata-* scenarios; source after lib.sh. The guest's
# instance metadata server, 169.254.169.254:80, is a host-side double
# (tests/metadata/double.py) on 127.0.0.1, reached through QEMU user
# networking's guestfwd: one relay process per guest connection (a
# chardev would be one stream for QEMU's whole life, and IMDSv2 takes two
# connections). QEMU forwards only addresses inside its user network, so
# that network is 169.254.169.0/24 here, as on a cloud's link: the guest
# is 169.254.169.15 and reaches the host's loopback as MD_HOST, not
# 10.0.2.2.

DOUBLE=$REPO/tests/metadata/double.py
MD=$T/md
MD_PID=
MD_HOST=169.254.169.2

# metadata_start [MODE]: serves $MD/user-data (AWS) and $MD/attribute (GCE)
# (write them first) in MODE (ok, oversize, slow), checks that the double
# refuses what the clouds refuse, then empties its request log,
# $MD/requests. Sets MD_NIC, the image/qemu arguments that let the guest
# reach it, and MD_AGENT_TO, the kernel parameter pointing the agent at the
# collector (collector_start first) through MD_HOST.
metadata_start() {
	local _
	mkdir -p "$MD"
	python3 "$DOUBLE" serve "$MD" "${1:-ok}" 2>>"$MD/log" &
	MD_PID=$!
	for _ in $(seq 50); do
		[ -s "$MD/port" ] && break
		sleep 0.1
	done
	[ -s "$MD/port" ] || fail "metadata double did not start: $(tail -n2 "$MD/log" 2>/dev/null)"
	python3 "$DOUBLE" check "$(cat "$MD/port")" 2>>"$MD/log" ||
		fail "the double accepts what a cloud refuses: $(tail -n3 "$MD/log")"
	: >"$MD/requests"
	MD_NIC=(--net user --nic-opt net=169.254.169.0/24 --nic-opt
		"guestfwd=tcp:169.254.169.254:80-cmd:$(command -v python3) $DOUBLE relay $(cat "$MD/port")")
	MD_AGENT_TO="stele.collector=$MD_HOST:${COLLECTOR_PORT:-0}/collector"
}

metadata_stop() {
	[ -n "$MD_PID" ] || return 0
	kill "$MD_PID" 2>/dev/null || true
	wait "$MD_PID" 2>/dev/null || true
	MD_PID=
}

# cred NAME VALUE / cred_binary NAME FILE: one credential line.
cred() { printf 'io.systemd.credential:%s=%s\n' "$1" "$2"; }
cred_binary() { printf 'io.systemd.credential.binary:%s=%s\n' "$1" "$(base64 -w0 <"$2")"; }

# assert_one_line TEXT: the console shows TEXT on exactly one line.
assert_one_line() {
	local n
	n=$(tr -d '\r' <"$CONSOLE" | grep -caF -- "$1" || true)
	[ "$n" -eq 1 ] || fail "console shows '$1' on $n lines, want 1"
}

trap 'metadata_stop; collector_stop; cleanup' EXIT
