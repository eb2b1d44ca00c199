# How every script speaks: messages on stderr, `die` stops with one.
say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
