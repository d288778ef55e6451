# Private apt configurations for the qemu target's scripts (sourced).
# apt_private CACHE SUITE DARCH: exports APT_CONFIG for SUITE (bookworm,
# bullseye, trixie) on Debian architecture DARCH, with its own sources, lists and
# archives under CACHE/apt/SUITE-DARCH, so the system's sources and lists stay
# untouched; the lists are fetched again when older than a day. Calls die on error.
apt_private() {
	local cache=$1 suite=$2 darch=$3 aptdir updates security
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	aptdir=$cache/apt/$suite-$darch
	mkdir -p "$aptdir/etc/apt.conf.d" "$aptdir/etc/preferences.d" "$aptdir/etc/sources.list.d" \
		"$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/download"
	[ -r "$keyring" ] || die "$keyring is missing: apt-get install debian-archive-keyring"
	updates=$suite-updates security=$suite-security
	cat > "$aptdir/etc/sources.list" <<EOF
deb [signed-by=$keyring] http://deb.debian.org/debian $suite main
deb [signed-by=$keyring] http://deb.debian.org/debian $updates main
deb [signed-by=$keyring] http://deb.debian.org/debian-security $security main
EOF
	cat > "$aptdir/apt.conf" <<EOF
APT::Architecture "$darch";
APT::Architectures { "$darch"; };
Dir::Etc "$aptdir/etc";
Dir::Etc::SourceList "$aptdir/etc/sources.list";
Dir::Etc::SourceParts "$aptdir/etc/sources.list.d";
Dir::Etc::Parts "$aptdir/etc/apt.conf.d";
Dir::Etc::PreferencesParts "$aptdir/etc/preferences.d";
Dir::State "$aptdir";
Dir::State::Lists "$aptdir/lists";
Dir::State::status "/dev/null";
Dir::Cache "$aptdir";
Dir::Cache::Archives "$aptdir/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Debug::NoLocking "true";
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order:: "gz";
EOF
	export APT_CONFIG=$aptdir/apt.conf
	APTDIR=$aptdir
	if [ -z "$(find "$aptdir/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		echo "${0##*/}: apt-get update for $suite/$darch (private lists in $aptdir)" >&2
		apt-get -q update >"$aptdir/update.log" 2>&1 ||
			die "apt-get update for $suite/$darch failed: $(tail -3 "$aptdir/update.log")"
	fi
}
