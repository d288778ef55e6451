#!/bin/busybox sh
# The init of the ipcconf guest (busybox sh, PID 1 of a QEMU guest booted by
# ipcconf-qemu-target): mounts what the suite needs, loads the block driver,
# runs `ipcconf run --out /results` as root (or a payload's run script; with
# gcov, resets the kernel's counters before and copies them out after), writes
# /results as a tar onto the raw virtio disk /dev/vda, and powers off. The
# serial console carries the log only; lines starting with "IPCCONF-" tell the
# host how far the guest got.
export PATH=/opt/ipcconf/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp LANG=C CI=1

/bin/busybox --install -s 2>/dev/null
# ipcs_test compares with util-linux's ipcs/ipcrm: busybox's are not them.
for t in ipcs ipcrm; do
	[ "$(readlink /usr/bin/$t)" = /bin/busybox ] && rm -f /usr/bin/$t
done

fail() {
	echo "IPCCONF-GUEST-ERROR: $*"
	sync
	poweroff -f
	exit 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || echo "ipcconf-guest: no devtmpfs; using the initramfs's /dev"
mkdir -p /dev/shm /dev/mqueue /dev/pts
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || fail "cannot mount tmpfs on /dev/shm"
mount -t mqueue mqueue /dev/mqueue || fail "cannot mount the mqueue filesystem on /dev/mqueue (CONFIG_POSIX_MQUEUE?)"
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "cannot mount tmpfs on /tmp"
mount -t tmpfs -o mode=0755 tmpfs /results || fail "cannot mount tmpfs on /results"
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
hostname ipcconf-guest
# The loopback interface is up on any real system (the TCP/UDP loopback cases).
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up || echo "ipcconf-guest: cannot bring up lo"

[ -r /etc/ipcconf/run.conf ] || fail "no /etc/ipcconf/run.conf: the initramfs lacks its run segment"
. /etc/ipcconf/run.conf
export IPCCONF_TIME_SCALE IPCCONF_VM_KERNEL_IMAGE

echo "IPCCONF-GUEST-START kernel $(uname -r) $(uname -m)"
echo "ipcconf-guest: kernel image: $IPCCONF_VM_KERNEL_IMAGE"
echo "ipcconf-guest: $(grep -c ^processor /proc/cpuinfo) CPU(s), $(sed -n 's/^MemTotal: *//p' /proc/meminfo) memory, IPCCONF_TIME_SCALE=$IPCCONF_TIME_SCALE"

# The block driver (modules the host listed in dependency order; none when built in).
if [ -s /etc/ipcconf/modules.list ]; then
	while read -r m; do
		insmod "$m" 2>/tmp/insmod.err || {
			grep -q "File exists" /tmp/insmod.err || echo "ipcconf-guest: insmod $m: $(cat /tmp/insmod.err)"
		}
	done < /etc/ipcconf/modules.list
fi
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -b /dev/vda ] || fail "no /dev/vda: the kernel has no virtio block driver (CONFIG_VIRTIO_BLK, CONFIG_VIRTIO_PCI) built in or in its modules"

# Kyua's progress, on the console as it happens (the host counts the cases).
tailpid=""
if [ -z "${IPCCONF_PAYLOAD:-}" ]; then
	mkdir -p /results/targets/host
	: > /results/targets/host/kyua.log
	tail -n +1 -f /results/targets/host/kyua.log &
	tailpid=$!
fi

# --gcov: the kernel's gcov counters count from here (after boot) ...
if [ "${IPCCONF_GCOV:-0}" = 1 ]; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -w /sys/kernel/debug/gcov/reset ] ||
		fail "no /sys/kernel/debug/gcov: the kernel lacks CONFIG_GCOV_KERNEL (or CONFIG_DEBUG_FS)"
	echo 1 > /sys/kernel/debug/gcov/reset || fail "cannot reset the gcov counters"
	echo "IPCCONF-GCOV-RESET"
fi

echo "IPCCONF-SUITE-START"
if [ -n "${IPCCONF_PAYLOAD:-}" ]; then
	# --payload: another suite's run script in place of ipcconf run (the
	# environment is documented in ipcconf-qemu-target --help).
	mkdir -p /results/payload
	export IPCCONF_PAYLOAD_DIR=/payload IPCCONF_PAYLOAD_OUT=/results/payload IPCCONF_VCPUS
	export PATH=/payload:$PATH
	(cd /payload && ./run) > /tmp/run.out 2>&1
	rc=$?
	cp /tmp/run.out /results/payload/run.log
else
	# shellcheck disable=SC2086 # IPCCONF_ARGS is written quoted by the host
	eval "set -- $IPCCONF_ARGS"
	ipcconf run --out /results "$@" > /tmp/run.out 2>&1
	rc=$?
fi
sleep 1
[ -z "$tailpid" ] || kill $tailpid 2>/dev/null
cat /tmp/run.out
echo "IPCCONF-SUITE-DONE rc=$rc"

# ... to here: every .gcda, read with cat (debugfs reports their size as 0).
if [ "${IPCCONF_GCOV:-0}" = 1 ]; then
	(cd /sys/kernel/debug/gcov && find . -name '*.gcda') | while read -r f; do
		mkdir -p "/results/gcov/${f%/*}"
		cat "/sys/kernel/debug/gcov/$f" > "/results/gcov/$f"
	done
	echo "IPCCONF-GCOV-SAVED $(find /results/gcov -name '*.gcda' | wc -l) files"
fi

if tar -cf /dev/vda -C /results . ; then
	sync
	echo "IPCCONF-RESULTS-SAVED"
else
	echo "IPCCONF-GUEST-ERROR: cannot write the results to /dev/vda"
fi
poweroff -f
