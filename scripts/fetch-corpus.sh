#!/bin/sh
# Fetches the real source trees that some tests and the benchmarks read, once, into a cache directory;
# prints the directory of each. The tests never download anything: they are skipped (or, under
# GRANULE_TEST_REQUIRE_ALL=1, fail) until this has run.
#
#   npm run fetch-corpus            the corpus the tests read (wine)
#   sh scripts/fetch-corpus.sh wine php 7zip
#
# Cache: $GRANULE_CORPUS_DIR, else $XDG_CACHE_HOME/granule-corpus, else ~/.cache/granule-corpus.
# Idempotent: a corpus whose `.complete` marker exists is only printed.
#
# wine: Debian's wine 8.0 source (the upstream tarball, about 83 MB, 4,900 C files); php: php 8.2; 7zip: 7-Zip
# (php and 7zip are read by scripts/noise-baseline.mjs only). Each is fetched through
# `apt-get source --download-only` with a private deb-src list on the machine's own Debian mirror. The
# system's apt state is not changed. Needs apt-get, Debian's archive keyring and network access to the
# mirror (Debian or a derivative, as CI's machine is). Exit 3 with one line on stderr where apt-get is
# not available, so callers can tell "cannot fetch here" from a failed download (exit 1).
set -eu

CACHE="${GRANULE_CORPUS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/granule-corpus}"

# fetch_debian NAME PACKAGE: the upstream tarball of Debian's source PACKAGE, unpacked into $CACHE/NAME
fetch_debian() {
  NAME=$1
  PACKAGE=$2
  DEST="$CACHE/$NAME"
  if [ -f "$DEST/.complete" ]; then
    echo "$DEST"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "fetch-corpus: apt-get is not available, so Debian's $PACKAGE source cannot be downloaded here (it needs a Debian or Ubuntu machine with network access to a Debian mirror)" >&2
    exit 3
  fi
  KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
  if [ ! -r "$KEYRING" ]; then
    echo "fetch-corpus: $KEYRING is missing (apt-get install debian-archive-keyring)" >&2
    exit 1
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
  # bookworm's wine is 8.0~repack: the figures the tests assert are those of that tree
  SUITE="${GRANULE_CORPUS_SUITE:-bookworm}"

  WORK="$CACHE/apt"
  rm -rf "$WORK" "$DEST.partial"
  mkdir -p "$WORK/lists/partial" "$WORK/archives/partial" "$WORK/etc/sources.list.d" "$WORK/download" "$DEST.partial"
  cat > "$WORK/etc/sources.list.d/corpus-src.sources" <<SRC
Types: deb-src
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: $KEYRING
SRC
  : > "$WORK/etc/sources.list"

  APT_OPTS="-o Dir::Etc::SourceList=$WORK/etc/sources.list -o Dir::Etc::SourceParts=$WORK/etc/sources.list.d -o Dir::State::Lists=$WORK/lists -o Dir::Cache=$WORK -o Dir::Cache::archives=$WORK/archives -o Debug::NoLocking=1 -o APT::Sandbox::User=root"

  echo "fetch-corpus: downloading Debian's $PACKAGE source from $MIRROR ($SUITE) into $CACHE" >&2
  # shellcheck disable=SC2086
  if ! apt-get $APT_OPTS -qq update >&2 || ! (cd "$WORK/download" && apt-get $APT_OPTS -qq source --download-only "$PACKAGE" >&2); then
    echo "fetch-corpus: apt-get could not download the $PACKAGE source from $MIRROR ($SUITE)" >&2
    exit 1
  fi

  ORIG=$(ls "$WORK/download/${PACKAGE}"_*.orig.tar.* 2>/dev/null | head -n 1)
  if [ -z "$ORIG" ]; then
    echo "fetch-corpus: apt-get downloaded no ${PACKAGE}_*.orig.tar.* tarball" >&2
    exit 1
  fi
  tar -xf "$ORIG" -C "$DEST.partial" --strip-components=1 --no-same-owner
  basename "$ORIG" > "$DEST.partial/.source"
  sha256sum "$ORIG" | cut -d' ' -f1 >> "$DEST.partial/.source"
  rm -rf "$DEST"
  mv "$DEST.partial" "$DEST"
  rm -rf "$WORK"
  touch "$DEST/.complete"
  echo "$DEST"
}

[ $# -gt 0 ] || set -- wine
for corpus in "$@"; do
  case "$corpus" in
    wine) fetch_debian wine wine ;;
    php) fetch_debian php php8.2 ;;
    7zip) fetch_debian 7zip 7zip ;;
    *)
      echo "fetch-corpus: unknown corpus '$corpus' (known: wine, php, 7zip)" >&2
      exit 2
      ;;
  esac
done
