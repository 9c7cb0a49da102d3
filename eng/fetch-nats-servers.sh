#!/usr/bin/env bash
# Fetches the newest nats-server of Debian 13 (trixie) and of Debian testing (forky) into .imb/servers/<suite>/, beside
# Debian 12's own (eng/ensure-nats-server.sh), without changing the system: a sources list, package lists and a cache
# of its own; the mirror is the one this machine's apt configuration names. Idempotent: a fetched server is kept.
# Prints one line per server: "<version> <directory holding nats-server>".
set -euo pipefail
cd "$(dirname "$0")/.."
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
if [ -z "$mirror" ]; then
  echo "fetch-nats-servers: this machine's apt configuration names no Debian mirror" >&2
  exit 1
fi

for suite in trixie forky; do
  dir=.imb/servers/$suite
  if [ ! -x "$dir/usr/sbin/nats-server" ]; then
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/archives/partial"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" "$suite" > "$work/suite.sources"
    apt=(apt-get -q -o "Dir::Etc::sourcelist=$work/suite.sources" -o Dir::Etc::sourceparts=/dev/null
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives")
    if ! "${apt[@]}" update > "$work/apt.log" 2>&1 || ! (cd "$work" && "${apt[@]}" download nats-server >> "$work/apt.log" 2>&1); then
      echo "fetch-nats-servers: Debian suite $suite could not be reached through the configured mirror:" >&2
      tail -n 3 "$work/apt.log" >&2
      rm -rf "$work"
      exit 1
    fi
    mkdir -p "$dir"
    dpkg-deb -x "$work"/nats-server_*.deb "$dir"
    rm -rf "$work"
  fi
  echo "$("$dir/usr/sbin/nats-server" --version | awk '{print $2}' | sed 's/^v//') $PWD/$dir/usr/sbin"
done
