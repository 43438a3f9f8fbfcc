#!/bin/sh
# Prints the directory of Debian's wine 8.0 source, fetching it first if needed: the same tree, in the same
# cache, as the tests read (scripts/fetch-corpus.sh says where and what it needs). Exit 3 where apt is not
# available, so callers can skip.
exec sh "$(dirname "$0")/../scripts/fetch-corpus.sh" wine
