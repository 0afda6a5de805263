# stele: one entry point. `make run` boots a sealed guest, `make test` proves it.
.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD     ?= build
DEPS      := $(BUILD)/deps
IMAGE_DIR := $(BUILD)/image
# KERNEL=stele (default): stele's own sealed kernel, no modules.
# KERNEL=debian-cloud: Debian bookworm's linux-image-cloud-amd64, with the
# modules it lacks built in carried in the initramfs.
KERNEL        ?= stele
STELE_KERNEL  := $(BUILD)/kernel/bzImage
DEBIAN_KERNEL := $(BUILD)/debian-kernel
ifeq ($(KERNEL),stele)
KERNEL_IMAGE  := $(STELE_KERNEL)
KERNEL_ARGS   := --kernel $(KERNEL_IMAGE)
else ifeq ($(KERNEL),debian-cloud)
KERNEL_IMAGE  := $(DEBIAN_KERNEL)/vmlinuz
KERNEL_ARGS   := --kernel $(KERNEL_IMAGE) --kernel-modules $(DEBIAN_KERNEL)/modules
else
$(error KERNEL=$(KERNEL): want stele or debian-cloud)
endif
# What every image depends on for its kernel.
KERNEL_DEPS   := $(KERNEL_IMAGE) image/initrd-modules $(BUILD)/image-kernel.id
export QEMU_ACCEL ?= tcg

# Build tools the targets below need; deps/ensure-packages installs what is missing.
PACKAGES := musl-tools linux-libc-dev gcc make erofs-utils cryptsetup-bin fdisk cpio \
	qemu-system-x86 python3 file clang libclang-rt-14-dev swtpm swtpm-tools \
	binutils systemd-boot-efi dosfstools mtools qemu-utils ovmf sbsigntool openssl strace \
	nats-server libnats-dev prometheus librelp-dev rsyslog rsyslog-relp rsyslog-gnutls zstd lz4

GUEST_CC     := musl-gcc
GUEST_CFLAGS := -std=c11 -D_GNU_SOURCE -Os -Wall -Wextra -Werror \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-isystem $(BUILD)/kheaders -I$(DEPS)/musl/include -Ilib
GUEST_LDFLAGS := -static -s -Wl,--gc-sections

HOST_CC     := gcc
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I$(DEPS)/host/include -Ilib

# PID 1 (init/: main, log, power; boot/: stage 1; supervise/: stage 2's
# supervisor; system/: the machine's facts), and the network service (net/).
INIT_INC      := -Iinit -Iinit/boot -Iinit/supervise -Iinit/system
NET_INC       := -Inet
LIB_SRC       := $(wildcard lib/*.c)
INIT_SRC      := $(wildcard init/*.c init/boot/*.c init/supervise/*.c init/system/*.c)
# Two programs: stage 1 (the initramfs's /init) and stage 2 (/sbin/init).
STAGE1_SRC    := $(filter-out init/main.c,$(wildcard init/*.c init/boot/*.c))
STAGE2_SRC    := $(wildcard init/*.c init/supervise/*.c init/system/*.c)
INIT_HDR      := $(wildcard init/*.h init/boot/*.h init/supervise/*.h init/system/*.h)
NET_SRC       := $(wildcard net/*.c)
AGENT_SRC     := $(wildcard agent/*.c)
COLLECTOR_SRC := $(wildcard collector/*.c sink/*.c)
# stele-metadata and stele-ntp take only the pieces of lib/ they use.
METADATA_SRC  := $(wildcard metadata/*.c) lib/cmdline_word.c lib/note.c lib/read_small.c
NTP_SRC       := $(wildcard ntp/*.c) lib/cmdline_word.c lib/netaddr.c lib/note.c lib/read_small.c

.PHONY: all packages deps kernel debian-image image run fleet test unit-tests qemu-tests bench clean FORCE example pki

all: $(BUILD)/stele-stage1 $(BUILD)/init $(BUILD)/stele-net $(BUILD)/agent $(BUILD)/collector $(BUILD)/stele-metadata \
	$(BUILD)/stele-ntp


packages:
	@deps/ensure-packages $(PACKAGES)

$(BUILD)/.packages: deps/ensure-packages Makefile
	@deps/ensure-packages $(PACKAGES)
	@mkdir -p $(@D) && touch $@

deps: $(DEPS)/stamp
$(DEPS)/stamp: deps/fetch deps/SHA256SUMS | $(BUILD)/.packages
	BUILD=$(abspath $(BUILD)) deps/fetch

# musl ships no kernel headers; borrow the system's uapi ones, nothing else.
$(BUILD)/kheaders/.stamp: | $(BUILD)/.packages
	@mkdir -p $(@D)
	ln -sfn /usr/include/linux $(@D)/linux
	ln -sfn /usr/include/asm-generic $(@D)/asm-generic
	ln -sfn /usr/include/x86_64-linux-gnu/asm $(@D)/asm
	@touch $@

$(BUILD)/init: $(STAGE2_SRC) $(LIB_SRC) $(INIT_HDR) $(wildcard lib/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) $(INIT_INC) $(GUEST_LDFLAGS) -o $@ $(STAGE2_SRC) $(LIB_SRC) -L$(DEPS)/musl/lib -lbearssl
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }
	@echo "$@: $$(stat -c %s $@) bytes"
$(BUILD)/stele-stage1: $(STAGE1_SRC) $(LIB_SRC) $(INIT_HDR) $(wildcard lib/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) $(INIT_INC) $(GUEST_LDFLAGS) -o $@ $(STAGE1_SRC) $(LIB_SRC) -L$(DEPS)/musl/lib -lbearssl
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }
	@echo "$@ (the initramfs's /init): $$(stat -c %s $@) bytes"

# The network service (net/): its own program, run as user net with
# CAP_NET_ADMIN and CAP_NET_RAW, so that PID 1 never parses a packet.
$(BUILD)/stele-net: $(NET_SRC) $(LIB_SRC) $(wildcard net/*.h lib/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) $(NET_INC) $(GUEST_LDFLAGS) -o $@ $(NET_SRC) $(LIB_SRC) -L$(DEPS)/musl/lib -lbearssl
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

# The agent: guest, static musl.
$(BUILD)/agent: $(AGENT_SRC) $(LIB_SRC) $(wildcard agent/*.h lib/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) -Iagent $(GUEST_LDFLAGS) -o $@ $(AGENT_SRC) $(LIB_SRC) -L$(DEPS)/musl/lib -lbearssl -lcbor
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

# The agent's benchmark (agent/bench/): the agent's pieces but its main,
# shipping generated records. Its own program, never in stele-agent: a
# static musl build for the bench image, a host build for the figures
# and the collector's tests.
AGENT_BENCH_SRC := agent/bench/main.c $(filter-out agent/main.c,$(AGENT_SRC)) $(LIB_SRC)
$(BUILD)/agent-bench: $(AGENT_BENCH_SRC) $(wildcard agent/*.h lib/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) -Iagent $(GUEST_LDFLAGS) -o $@ $(AGENT_BENCH_SRC) -L$(DEPS)/musl/lib -lbearssl -lcbor
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

# The instance metadata fetcher (metadata/main.c): guest, static musl, its
# own binary so that PID 1 never holds an HTTP parser.
$(BUILD)/stele-metadata: $(METADATA_SRC) $(wildcard metadata/*.h lib/cmdline_word.h lib/clock.h lib/note.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) -Imetadata $(GUEST_LDFLAGS) -o $@ $(METADATA_SRC)
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

# The SNTP client (ntp/main.c): guest, static musl, its own binary and user
# so that only it holds CAP_SYS_TIME and reads NTP answers.
$(BUILD)/stele-ntp: $(NTP_SRC) $(wildcard ntp/*.h lib/cmdline_word.h lib/netaddr.h lib/clock.h lib/note.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	$(GUEST_CC) $(GUEST_CFLAGS) -Intp $(GUEST_LDFLAGS) -o $@ $(NTP_SRC)
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

HOST_OPT := -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I$(DEPS)/host/include -Ilib
$(BUILD)/host/agent-bench: $(AGENT_BENCH_SRC) $(wildcard agent/*.h lib/*.h) $(DEPS)/stamp
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT) -Iagent -o $@ $(AGENT_BENCH_SRC) $(HOST_LIBS)

# stele-agent itself, built for the host at -O2: what make bench and make
# bench-peers run behind the PID 1 stand-in (tests/bench-pid1/), which
# hands it its real inputs.
$(BUILD)/host/agent: $(AGENT_SRC) $(LIB_SRC) $(wildcard agent/*.h lib/*.h) $(DEPS)/stamp
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT) -Iagent -o $@ $(AGENT_SRC) $(LIB_SRC) $(HOST_LIBS)
$(BUILD)/host/pid1-stand-in: tests/bench-pid1/pid1_stand_in.c lib/svc_line.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT) -o $@ $<

# The collector runs on any Linux host: a host build.
$(BUILD)/collector: $(COLLECTOR_SRC) $(LIB_SRC) $(wildcard collector/*.h sink/*.h lib/*.h) $(DEPS)/stamp
	$(HOST_CC) $(HOST_OPT) -Icollector -Isink -o $@ $(COLLECTOR_SRC) $(LIB_SRC) $(HOST_LIBS) $(COLLECTOR_LIBS)

# The ceiling of the JetStream figures (tests/bench-fleet): a bare
# libnats publisher, no TLS intake.
$(BUILD)/host/nats_publish: tests/bench-nats/nats_publish.c | $(BUILD)/.packages
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -pthread -o $@ $< -lnats

# The hand-written publisher's driver against a real server (tests/fleet/
# nats-pub, tests/bench-fleet): -O2 for the figures, and the same
# under ASan and UBSan for the test. No libnats.
NATS_PUB_SRC := collector/nats_pub.c collector/nats_conn.c collector/nats_url.c collector/nats_wire.c \
	collector/nats_ack.c collector/nats_fmt.c collector/json_in.c collector/json.c collector/log.c
NATS_PUB_DEPS := tests/fleet/nats_pub_drive.c $(NATS_PUB_SRC) $(wildcard collector/nats_*.h) collector/log.h
$(BUILD)/host/nats_pub_drive: $(NATS_PUB_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT) -Icollector -o $@ tests/fleet/nats_pub_drive.c $(NATS_PUB_SRC)
$(BUILD)/tests/nats_pub_drive: $(NATS_PUB_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icollector -o $@ tests/fleet/nats_pub_drive.c $(NATS_PUB_SRC)

# What the image's agent trusts and presents (PKI=DIR: server-ca.crt,
# agent.crt, agent.key), and where it sends (COLLECTOR="HOST:PORT[/NAME] ...", NAME
# being what the collector's certificate names).
PKI        ?= $(BUILD)/pki
COLLECTOR  ?= 10.0.2.2:7514/collector
AGENT_ARGS  = --net $(BUILD)/stele-net --agent $(BUILD)/agent --pki $(PKI) $(foreach c,$(COLLECTOR),--collector $(c)) \
	--metadata $(BUILD)/stele-metadata --ntp $(BUILD)/stele-ntp $(if $(NTP_SERVERS),--ntp-servers $(NTP_SERVERS)) \
	--initrd-compression $(INITRD_COMPRESSION)

# INITRD_COMPRESSION=gzip|zstd|lz4|none: how initrd.img is packed. zstd
# for Debian's kernel, whose initramfs carries its modules: the smallest
# and, by make bench-peers, the quickest to sealed; gzip for stele's,
# whose 34 KB initramfs is all the kernel can unpack (CONFIG_RD_GZIP only).
DEBIAN_INITRD_COMPRESSION ?= zstd
INITRD_COMPRESSION ?= $(if $(filter debian-cloud,$(KERNEL)),$(DEBIAN_INITRD_COMPRESSION),gzip)
$(BUILD)/image-initrd.list: FORCE
	@mkdir -p $(@D)
	@echo '$(INITRD_COMPRESSION) $(DEBIAN_INITRD_COMPRESSION)' | cmp -s - $@ || \
		echo '$(INITRD_COMPRESSION) $(DEBIAN_INITRD_COMPRESSION)' >$@

# NTP_SERVERS=HOST[:PORT][,...]: the image's own NTP servers, asked when
# neither DHCP nor stele.ntp= names one. None by default: images built
# here reach nothing but the host's loopback.
NTP_SERVERS ?=
$(BUILD)/image-ntp.list: FORCE
	@mkdir -p $(@D)
	@echo '$(NTP_SERVERS)' | cmp -s - $@ || echo '$(NTP_SERVERS)' >$@


# Test and development PKI (image/make-pki): a server CA and a client CA,
# the collector's and the agent's certificates and keys. Made once; delete build/pki to renew.
pki: $(BUILD)/pki/server-ca.crt
$(BUILD)/pki/server-ca.crt:
	image/make-pki $(@D)

kernel: $(KERNEL_IMAGE)
$(STELE_KERNEL): kernel-config/build-kernel $(wildcard kernel-config/*.config) | $(BUILD)/.packages
	kernel-config/build-kernel $(dir $(STELE_KERNEL))

# Fetched once (apt-get download with deps/fetch's private apt setup),
# cached in ~/.cache/stele/debian-kernel.
$(DEBIAN_KERNEL)/vmlinuz: kernel-config/debian-kernel | $(DEPS)/stamp
	BUILD=$(abspath $(BUILD)) kernel-config/debian-kernel $(DEBIAN_KERNEL)
	@touch $@

# Which kernel the images were built with, rewritten only when KERNEL
# changes: an image of the other kernel is rebuilt.
$(BUILD)/image-kernel.id: FORCE
	@mkdir -p $(@D)
	@echo $(KERNEL) | cmp -s - $@ || echo $(KERNEL) >$@

# OVERLAY="DIR..." layers an appliance's files over the base root (README).
# Only regular files are prerequisites: make follows a symlink, and a link
# such as etc/resolv.conf -> /run/stele/resolv.conf points outside the tree. The
# links themselves are listed, path and target, in rootfs-links.list.
OVERLAY       ?=
ROOTFS_FILES  := $(shell find rootfs -type f 2>/dev/null) $(BUILD)/rootfs-links.list
OVERLAY_FILES := $(if $(strip $(OVERLAY)),$(shell find $(OVERLAY) -type f 2>/dev/null))

image: $(IMAGE_DIR)/disk.raw
$(IMAGE_DIR)/disk.raw: $(BUILD)/init $(KERNEL_DEPS) image/build-image $(ROOTFS_FILES) $(OVERLAY_FILES) $(BUILD)/image-overlay.list $(BUILD)/agent $(PKI)/server-ca.crt $(BUILD)/image-secureboot.list
	image/build-image --stage1 $(BUILD)/stele-stage1 --init $(BUILD)/init $(KERNEL_ARGS) $(foreach o,$(OVERLAY),--overlay $(o)) $(AGENT_ARGS) $(SB_ARGS) --out $(IMAGE_DIR)

# Secure Boot: SB_KEY=KEY SB_CERT=CERT sign stele.efi (sbsign) before it
# goes into the ESP. Which key and certificate, rewritten only when that
# changes: an image signed otherwise, or not, is rebuilt.
SB_KEY  ?=
SB_CERT ?=
SB_ARGS := $(if $(SB_KEY),--sb-key $(SB_KEY)) $(if $(SB_CERT),--sb-cert $(SB_CERT))
$(BUILD)/image-secureboot.list: FORCE
	@mkdir -p $(@D)
	@{ echo '$(SB_KEY) $(SB_CERT)'; cat $(SB_KEY) $(SB_CERT) </dev/null | sha256sum; } | \
		cmp -s - $@ || { echo '$(SB_KEY) $(SB_CERT)'; cat $(SB_KEY) $(SB_CERT) </dev/null | sha256sum; } >$@

# VERSION=V: IMAGE_VERSION=V in the image's os-release (and so in the UKI's
# .osrel), which the agent's hello carries (README); none if unset.
# Rewritten only when it changes: an image of another version is rebuilt.
VERSION ?=
$(IMAGE_DIR)/disk.raw: export IMAGE_VERSION := $(VERSION)
$(IMAGE_DIR)/disk.raw: $(BUILD)/image-version.list
$(BUILD)/image-version.list: export IMAGE_VERSION := $(VERSION)
$(BUILD)/image-version.list: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' "$$IMAGE_VERSION" | cmp -s - $@ || printf '%s\n' "$$IMAGE_VERSION" >$@

# Which overlays and files went in, rewritten only when that changes: an
# image built with another OVERLAY, or without, is rebuilt.
# Every symlink of the roots an image may take in, rewritten only when one
# is added, removed or retargeted.
LINK_ROOTS := rootfs tests/overlay tests/bench-overlay $(OVERLAY)
$(BUILD)/rootfs-links.list: FORCE
	@mkdir -p $(@D)
	@find $(LINK_ROOTS) -type l -printf '%p -> %l\n' 2>/dev/null | LC_ALL=C sort | \
		cmp -s - $@ || find $(LINK_ROOTS) -type l -printf '%p -> %l\n' 2>/dev/null | LC_ALL=C sort >$@
$(BUILD)/image-overlay.list: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(OVERLAY) -- $(OVERLAY_FILES) | cmp -s - $@ || \
		printf '%s\n' $(OVERLAY) -- $(OVERLAY_FILES) >$@
FORCE:

# The test appliance the QEMU scenarios boot: the services of
# tests/services/ with their definitions and users from tests/overlay/.
TEST_SERVICES := $(patsubst tests/services/%.c,$(BUILD)/test-services/%,$(wildcard tests/services/*.c))
TEST_OVERLAY  := $(BUILD)/test-overlay
TEST_IMAGE    := $(BUILD)/test-image

$(BUILD)/test-services/%: tests/services/%.c $(wildcard tests/services/*.h) $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $<
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }

# Staged afresh each time, so that nothing stale reaches the image.
$(TEST_OVERLAY).stamp: $(TEST_SERVICES) $(shell find tests/overlay -type f 2>/dev/null)
	rm -rf $(TEST_OVERLAY)
	mkdir -p $(TEST_OVERLAY)/usr/bin
	cp -a tests/overlay/. $(TEST_OVERLAY)/
	cp $(TEST_SERVICES) $(TEST_OVERLAY)/usr/bin/
	@touch $@

# The test image has a version of its own (tests/qemu/image-drift).
$(TEST_IMAGE)/disk.raw: export IMAGE_VERSION := stele-test
$(TEST_IMAGE)/disk.raw: $(BUILD)/init $(KERNEL_DEPS) image/build-image $(ROOTFS_FILES) $(TEST_OVERLAY).stamp $(BUILD)/agent $(PKI)/server-ca.crt
	image/build-image --stage1 $(BUILD)/stele-stage1 --init $(BUILD)/init $(KERNEL_ARGS) --overlay $(TEST_OVERLAY) $(AGENT_ARGS) --out $(TEST_IMAGE)

# The appliance of the README's example: one static program in its overlay.
example: examples/hello/root/usr/bin/hello
examples/hello/root/usr/bin/hello: examples/hello/hello.c | $(BUILD)/.packages
	@mkdir -p $(@D)
	$(GUEST_CC) -std=c11 -Os -Wall -Wextra -Werror -static -s -o $@ $<

# The fleet tier on this machine: a 3-node nats-server cluster, two
# collectors with --jetstream, the files and prometheus sinks, Prometheus,
# two guests (image/fleet says what and where). Ctrl-C stops it all.
fleet: image $(BUILD)/collector | $(BUILD)/.packages
	image/fleet --image $(IMAGE_DIR)

# UEFI=1: OVMF boots the disk's ESP (the UKI) instead of -kernel.
run: image $(BUILD)/collector
	image/run --image $(IMAGE_DIR) $(if $(filter 1,$(UEFI)),-- --uefi)

# Unit tests: host builds under ASan and UBSan, one binary per test file:
# tests/unit/test_* against init/, tests/unit/net_* against net/,
# tests/unit/agent_* against agent/,
# tests/unit/collector_* against collector/, tests/unit/metadata_* against
# metadata/ (each without its main.c).
INIT_TESTABLE      := $(filter-out init/main.c init/boot/main.c init/boot/stage1.c init/supervise/stage2.c init/power.c \
	init/system/power_button.c init/boot/mounts.c init/boot/switch_root.c,$(INIT_SRC))
NET_TESTABLE       := $(filter-out net/main.c,$(NET_SRC))
AGENT_TESTABLE     := $(filter-out agent/main.c,$(AGENT_SRC))
COLLECTOR_TESTABLE := $(filter-out collector/main.c,$(COLLECTOR_SRC))
METADATA_TESTABLE  := $(filter-out metadata/main.c $(LIB_SRC),$(METADATA_SRC))
NTP_TESTABLE       := $(filter-out ntp/main.c $(LIB_SRC),$(NTP_SRC))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c tests/unit/net_*.c tests/unit/agent_*.c tests/unit/collector_*.c tests/unit/metadata_*.c tests/unit/sink_*.c tests/unit/ntp_*.c))
HOST_LIBS  := -L$(DEPS)/host/lib -lbearssl -lcbor -lm
# The collector's fleet mode: the NATS client (Debian libnats-dev), and
# the relp sink's RELP client (librelp-dev).
COLLECTOR_LIBS := -lnats -lrelp -lpthread
# Each source is compiled once for the unit tests, under ASan and UBSan,
# into $(OBJ)/PATH.o with its headers tracked (-MMD); a test links its own
# object with those of the part it tests. Each part has its include path.
OBJ := $(BUILD)/obj/asan
asan_obj = $(patsubst %.c,$(OBJ)/%.o,$(1))
$(OBJ)/init/%.o $(OBJ)/tests/unit/test_%.o: INC := $(INIT_INC)
$(OBJ)/net/%.o $(OBJ)/tests/unit/net_%.o: INC := $(NET_INC)
$(OBJ)/agent/%.o $(OBJ)/tests/unit/agent_%.o: INC := -Iagent
$(OBJ)/collector/%.o $(OBJ)/tests/unit/collector_%.o: INC := -Icollector -Isink
$(OBJ)/sink/%.o $(OBJ)/tests/unit/sink_%.o: INC := -Isink -Icollector
$(OBJ)/metadata/%.o $(OBJ)/tests/unit/metadata_%.o: INC := -Imetadata
$(OBJ)/ntp/%.o $(OBJ)/tests/unit/ntp_%.o: INC := -Intp
$(OBJ)/%.o: %.c | $(DEPS)/stamp
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(INC) -MMD -MP -c -o $@ $<
-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
# Kept: make would remove them as intermediate files after each run.
.PRECIOUS: $(OBJ)/%.o

$(BUILD)/tests/test_%: $(OBJ)/tests/unit/test_%.o $(call asan_obj,$(INIT_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)
$(BUILD)/tests/net_%: $(OBJ)/tests/unit/net_%.o $(call asan_obj,$(NET_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)
$(BUILD)/tests/agent_%: $(OBJ)/tests/unit/agent_%.o $(call asan_obj,$(AGENT_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)
# TLS against the real collector: without these it would only say "skipped".
$(BUILD)/tests/agent_transport: | $(BUILD)/pki/server-ca.crt $(BUILD)/collector
$(BUILD)/tests/collector_pki: | $(BUILD)/pki/server-ca.crt
$(BUILD)/tests/collector_%: $(OBJ)/tests/unit/collector_%.o $(call asan_obj,$(COLLECTOR_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS) $(COLLECTOR_LIBS)

# tests/unit/sink_* against the sinks' pieces that need no NATS: the RFC
# 5424 formatter and the RELP client (librelp: Debian ships it shared
# only), with the collector's JSON reader and writer and its log line.
SINK_CORE := sink/syslog5424.c sink/relp_out.c sink/deadline.c collector/json_in.c collector/json.c collector/log.c
RELP_LIBS := -lrelp
$(BUILD)/tests/sink_%: $(OBJ)/tests/unit/sink_%.o $(call asan_obj,$(SINK_CORE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS) $(RELP_LIBS)
# The driver of tests/collector/relp-rsyslog: JSON lines through
# syslog5424 and relp_out into a real rsyslog.
$(BUILD)/tests/relp-send: tests/sink/relp_send.c $(SINK_CORE) $(wildcard sink/*.h) $(LIB_SRC) $(DEPS)/stamp
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Isink -Icollector -o $@ $< $(SINK_CORE) $(LIB_SRC) $(HOST_LIBS) $(RELP_LIBS)

$(BUILD)/tests/metadata_%: $(OBJ)/tests/unit/metadata_%.o $(call asan_obj,$(METADATA_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)

$(BUILD)/tests/ntp_%: $(OBJ)/tests/unit/ntp_%.o $(call asan_obj,$(NTP_TESTABLE) $(LIB_SRC))
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)

# Fuzz targets: libFuzzer, each run for a fixed number of inputs by the
# test runner, from its seed corpus in tests/fuzz/corpus/NAME.
FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -I$(DEPS)/host/include -Ilib $(INIT_INC) $(NET_INC) \
	-Iagent -Icollector -Isink -Imetadata -Intp
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/service_conf: init/supervise/service_conf.c init/supervise/caps.c lib/kv_file.c lib/text.c
$(BUILD)/fuzz/dhcp_msg: net/dhcp_msg.c net/dhcp_frame.c net/dhcp_client.c net/ip_param.c lib/netaddr.c
$(BUILD)/fuzz/ip_param: net/ip_param.c lib/netaddr.c lib/cmdline_word.c
$(BUILD)/fuzz/net_report: lib/net_report.c lib/netaddr.c
$(BUILD)/fuzz/smbios_cred: init/system/smbios_cred.c lib/base64.c
$(BUILD)/fuzz/metadata_http: metadata/http.c
$(BUILD)/fuzz/ntp_packet: ntp/packet.c
$(BUILD)/fuzz/modules_table: init/boot/modules_table.c init/boot/modules_list.c lib/text.c
$(BUILD)/fuzz/gpt: init/boot/gpt.c lib/crc32.c
$(BUILD)/fuzz/tpm2_rsp: init/boot/tpm2_cmd.c
$(BUILD)/fuzz/verity_sig: init/boot/verity_sig.c lib/hex.c lib/base64.c
$(BUILD)/fuzz/syslog: agent/logparse_syslog.c agent/logparse_kmsg.c
$(BUILD)/fuzz/sender_service: agent/sender_service.c
$(BUILD)/fuzz/line_join: agent/line_join.c
$(BUILD)/fuzz/agent_conf: agent/conf.c agent/spread.c lib/kv_file.c lib/text.c lib/netaddr.c lib/cmdline_word.c
$(BUILD)/fuzz/collector_decode: collector/cbor_in.c collector/record_json.c collector/json.c \
	collector/metrics.c collector/metrics_cbor.c collector/metrics_help.c collector/store.c lib/image_word.c
$(BUILD)/fuzz/image_expect: collector/image_expect.c lib/image_word.c
$(BUILD)/fuzz/json_in: collector/json_in.c collector/json.c
$(BUILD)/fuzz/metrics_json: collector/metrics_json.c collector/metrics.c collector/metrics_help.c \
	collector/json_in.c collector/json.c
$(BUILD)/fuzz/syslog5424: sink/syslog5424.c collector/json_in.c collector/json.c lib/base64.c
$(BUILD)/fuzz/nats_wire: collector/nats_wire.c collector/nats_ack.c collector/nats_fmt.c \
	collector/json_in.c collector/json.c
$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c | $(BUILD)/.packages $(DEPS)/stamp
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(HOST_LIBS)

unit-tests: $(UNIT_TESTS) $(FUZZ_TARGETS) $(BUILD)/collector $(BUILD)/host/agent-bench $(BUILD)/tests/relp-send \
	$(BUILD)/tests/nats_pub_drive $(BUILD)/host/nats_pub_drive

# The Debian cloud kernel's own image, whatever KERNEL is: the
# debian-kernel-* scenarios boot it.
DEBIAN_IMAGE := $(BUILD)/debian-image
$(DEBIAN_IMAGE)/disk.raw: INITRD_COMPRESSION = $(DEBIAN_INITRD_COMPRESSION)
debian-image: $(DEBIAN_IMAGE)/disk.raw
$(DEBIAN_IMAGE)/disk.raw: $(BUILD)/init $(DEBIAN_KERNEL)/vmlinuz image/initrd-modules image/build-image $(ROOTFS_FILES) $(BUILD)/agent $(PKI)/server-ca.crt
	image/build-image --stage1 $(BUILD)/stele-stage1 --init $(BUILD)/init --kernel $(DEBIAN_KERNEL)/vmlinuz \
		--kernel-modules $(DEBIAN_KERNEL)/modules $(AGENT_ARGS) --out $(DEBIAN_IMAGE)

# The real NTP server of tests/qemu/clock-year-off: Debian's chronyd,
# unpacked, never installed (deps/unpack-package says why).
STELE_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/stele
CHRONYD     := $(STELE_CACHE)/chrony/usr/sbin/chronyd
export CHRONYD
$(CHRONYD): deps/unpack-package | $(BUILD)/.packages
	deps/unpack-package chrony $(STELE_CACHE)/chrony
	@touch $@
qemu-tests: image $(TEST_IMAGE)/disk.raw $(DEBIAN_IMAGE)/disk.raw $(CHRONYD)


test: unit-tests qemu-tests
	tests/run $(UNIT_TESTS) $(FUZZ_TARGETS)

# make bench also boots an image whose one extra service is the agent's
# benchmark (stele-agent-bench, with its definition from
# tests/bench-overlay/), to measure it in the guest.
BENCH_IMAGE   := $(BUILD)/bench-image
BENCH_OVERLAY := $(BUILD)/bench-overlay
$(BENCH_OVERLAY).stamp: $(BUILD)/agent-bench $(shell find tests/bench-overlay -type f)
	rm -rf $(BENCH_OVERLAY)
	mkdir -p $(BENCH_OVERLAY)/usr/bin
	cp -a tests/bench-overlay/. $(BENCH_OVERLAY)/
	cp $(BUILD)/agent-bench $(BENCH_OVERLAY)/usr/bin/stele-agent-bench
	@touch $@
$(BENCH_IMAGE)/disk.raw: $(BUILD)/init $(KERNEL_DEPS) image/build-image $(ROOTFS_FILES) $(BUILD)/agent $(PKI)/server-ca.crt $(BENCH_OVERLAY).stamp
	image/build-image --stage1 $(BUILD)/stele-stage1 --init $(BUILD)/init $(KERNEL_ARGS) --overlay $(BENCH_OVERLAY) $(AGENT_ARGS) --out $(BENCH_IMAGE)

# Every image carries its kernel, initramfs and command line as a UKI too.
$(IMAGE_DIR)/disk.raw $(TEST_IMAGE)/disk.raw $(DEBIAN_IMAGE)/disk.raw $(BENCH_IMAGE)/disk.raw: image/build-uki
# ... and the network service, metadata fetcher and SNTP client, which
# AGENT_ARGS names (with the servers NTP_SERVERS bakes in), and stage 1.
$(IMAGE_DIR)/disk.raw $(TEST_IMAGE)/disk.raw $(DEBIAN_IMAGE)/disk.raw $(BENCH_IMAGE)/disk.raw: $(BUILD)/stele-net \
	$(BUILD)/stele-metadata $(BUILD)/stele-stage1 $(BUILD)/stele-ntp $(BUILD)/image-ntp.list \
	$(BUILD)/image-initrd.list

bench: image $(BENCH_IMAGE)/disk.raw $(BUILD)/collector $(BUILD)/agent-bench $(BUILD)/host/agent-bench \
	$(BUILD)/host/agent $(BUILD)/host/pid1-stand-in \
	$(BUILD)/host/nats_publish \
	$(BUILD)/host/nats_pub_drive
	tests/bench

# make bench-peers: stele beside its peers in one run (tests/bench-peers/,
# README). boots: stele's boots beside dracut + systemd's and a floor's,
# on both kernels; peers-init is the floor's /init and the marker root's
# /sbin/init. delivery: rsyslog's RELP and omfwd over TLS against the
# agent through /dev/log, in a network namespace of its own.
BENCH_PEERS_PACKAGES := rsyslog rsyslog-relp rsyslog-gnutls iproute2 python3
.PHONY: bench-peers
$(BUILD)/bench-peers/peers-init: tests/bench-peers/peers-init.c $(DEPS)/stamp $(BUILD)/kheaders/.stamp
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $<
	@file $@ | grep -q 'statically linked' || { echo "$@ is not static" >&2; rm -f $@; exit 1; }
bench-peers: $(IMAGE_DIR)/disk.raw $(DEBIAN_IMAGE)/disk.raw $(STELE_KERNEL) $(DEBIAN_KERNEL)/vmlinuz \
	$(BUILD)/stele-stage1 $(BUILD)/bench-peers/peers-init \
	$(BUILD)/collector $(BUILD)/agent $(BUILD)/host/agent $(BUILD)/host/pid1-stand-in $(PKI)/server-ca.crt
	@deps/ensure-packages $(BENCH_PEERS_PACKAGES)
	tests/bench-peers/run

# Signed root hash. SIGNING_KEY=PEM SIGNING_CERT=PEM: `make image` writes a
# root verity signature partition and boots stele's kernel built trusting
# SIGNING_CERT, with dm-verity root hash signature checks on
# (kernel-config/signing.config; its own cache entry). The tests use a key
# made once outside the checkout (make signing-key), so a clean clone finds
# the same certificate and hence the cached signed kernel.
SIGNING_KEY   ?=
SIGNING_CERT  ?=
SIGNED_KERNEL := $(BUILD)/kernel-signed/bzImage
ifneq ($(SIGNING_KEY)$(SIGNING_CERT),)
ifneq ($(KERNEL),stele)
$(error SIGNING_KEY and SIGNING_CERT need KERNEL=stele: only stele's kernel trusts the certificate)
endif
$(IMAGE_DIR)/disk.raw: KERNEL_ARGS := --kernel $(SIGNED_KERNEL) \
	--signing-key $(SIGNING_KEY) --signing-cert $(SIGNING_CERT)
$(IMAGE_DIR)/disk.raw: $(SIGNED_KERNEL)
endif
# Which key signs the image, rewritten only when that changes: an image
# signed otherwise, or not, is rebuilt.
$(IMAGE_DIR)/disk.raw: $(BUILD)/image-verity-signing.list
$(BUILD)/image-verity-signing.list: FORCE
	@mkdir -p $(@D)
	@{ echo '$(SIGNING_KEY) $(SIGNING_CERT)'; cat $(SIGNING_KEY) $(SIGNING_CERT) </dev/null | sha256sum; } | \
		cmp -s - $@ || { echo '$(SIGNING_KEY) $(SIGNING_CERT)'; cat $(SIGNING_KEY) $(SIGNING_CERT) </dev/null | sha256sum; } >$@
# A copy of the certificate, rewritten only when it changes.
$(BUILD)/kernel-signed/trusted.pem: FORCE
	@test -f "$(SIGNING_CERT)" || { echo "SIGNING_CERT=$(SIGNING_CERT): no such file" >&2; exit 1; }
	@mkdir -p $(@D)
	@cmp -s $(SIGNING_CERT) $@ || cp $(SIGNING_CERT) $@
$(SIGNED_KERNEL): $(BUILD)/kernel-signed/trusted.pem kernel-config/build-kernel $(wildcard kernel-config/*.config) | $(BUILD)/.packages
	kernel-config/build-kernel --trusted-cert $< $(@D)

.PHONY: signing-key
SIGNING_DIR := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/stele/signing
signing-key: $(SIGNING_DIR)/signing.crt
$(SIGNING_DIR)/signing.crt:
	image/make-signing-key $(@D)

# The signed image the signed-root-* scenarios boot: the test key's.
TEST_SIGNED_KERNEL := $(BUILD)/kernel-testsig/bzImage
SIGNED_TEST_IMAGE  := $(BUILD)/signed-image
$(TEST_SIGNED_KERNEL): $(SIGNING_DIR)/signing.crt kernel-config/build-kernel $(wildcard kernel-config/*.config) | $(BUILD)/.packages
	kernel-config/build-kernel --trusted-cert $< $(@D)
$(SIGNED_TEST_IMAGE)/disk.raw: $(BUILD)/init $(TEST_SIGNED_KERNEL) image/build-image image/build-uki $(ROOTFS_FILES) $(BUILD)/agent $(PKI)/server-ca.crt \
	$(BUILD)/stele-net $(BUILD)/stele-metadata $(BUILD)/stele-stage1 $(BUILD)/stele-ntp $(BUILD)/image-ntp.list
	image/build-image --stage1 $(BUILD)/stele-stage1 --init $(BUILD)/init --kernel $(TEST_SIGNED_KERNEL) $(AGENT_ARGS) \
		--signing-key $(SIGNING_DIR)/signing.key --signing-cert $(SIGNING_DIR)/signing.crt \
		--out $(SIGNED_TEST_IMAGE)
qemu-tests: $(SIGNED_TEST_IMAGE)/disk.raw

clean:
	rm -rf $(BUILD)
