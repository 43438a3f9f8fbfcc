#!/bin/sh
# Downloads Debian's wine 8.0 source once and extracts it; prints the extracted directory.
# Idempotent: a second call finds the `.complete` marker and only prints the path.
# Cache: $GRANULE_BENCH_CACHE, else $XDG_CACHE_HOME/granule-bench, else ~/.cache/granule-bench.
# Exit 3 (with a message on stderr) where apt is not available, so callers can skip.
set -eu

CACHE="${GRANULE_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/granule-bench}"
DEST="$CACHE/wine"
if [ -f "$DEST/.complete" ]; then
  echo "$DEST"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "fetch-wine: apt-get is not available; cannot download the wine source" >&2
  exit 3
fi

# the same mirror the machine already uses for binaries, as a deb-src entry in a private apt tree
MIRROR=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  MIRROR=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$MIRROR" ] && [ -f /etc/apt/sources.list ]; then
  MIRROR=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
fi
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SUITE="${GRANULE_BENCH_SUITE:-bookworm}"

WORK="$CACHE/apt"
rm -rf "$WORK" "$DEST.partial"
mkdir -p "$WORK/lists/partial" "$WORK/archives/partial" "$WORK/etc/sources.list.d" "$WORK/download" "$DEST.partial"
cat > "$WORK/etc/sources.list.d/wine-src.sources" <<SRC
Types: deb-src
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
: > "$WORK/etc/sources.list"

APT_OPTS="-o Dir::Etc::SourceList=$WORK/etc/sources.list -o Dir::Etc::SourceParts=$WORK/etc/sources.list.d -o Dir::State::Lists=$WORK/lists -o Dir::Cache=$WORK -o Dir::Cache::archives=$WORK/archives -o Debug::NoLocking=1 -o APT::Sandbox::User=root"

echo "fetch-wine: downloading the wine source from $MIRROR ($SUITE) into $CACHE" >&2
# shellcheck disable=SC2086
apt-get $APT_OPTS -qq update >&2
# shellcheck disable=SC2086
(cd "$WORK/download" && apt-get $APT_OPTS -qq source --download-only wine >&2)

ORIG=$(ls "$WORK/download"/wine_*.orig.tar.* 2>/dev/null | head -n 1)
if [ -z "$ORIG" ]; then
  echo "fetch-wine: no orig tarball was downloaded" >&2
  exit 1
fi
tar -xf "$ORIG" -C "$DEST.partial" --strip-components=1
basename "$ORIG" > "$DEST.partial/.source"
sha256sum "$ORIG" | cut -d' ' -f1 >> "$DEST.partial/.source"
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
rm -rf "$WORK"
touch "$DEST/.complete"
echo "$DEST"
