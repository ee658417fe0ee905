#!/usr/bin/env bash
# Makes sure what Winnow's commands need is on this machine: Redis always; PostgreSQL and Chromium
# for the test suite (`ensure-services.sh test`). Installs Debian packages when run as root and a
# service is missing; starts a stopped local service. Prints what it did on stderr.
set -euo pipefail
want="${1:-app}"
say() { echo "ensure-services: $*" >&2; }
as_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if ! as_root || ! command -v apt-get >/dev/null; then
    say "missing $*; install it (apt-get install $*) and run again"; exit 1
  fi
  say "installing $*"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Redis: `winnow serve` starts a private one itself when redis-server is on the PATH, so only
# the binary is needed for the app; the tests need one running on 6379.
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  if [ "$want" = test ]; then
    say "starting redis-server on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --maxmemory-policy noeviction >/dev/null
  fi
fi

if [ "$want" = test ]; then
  if ! port_open 5432; then
    if ! ls /etc/postgresql >/dev/null 2>&1; then apt_install postgresql; fi
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do port_open 5432 && break; sleep 1; done
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL at 127.0.0.1:5432 must accept user postgres without a password (trust) and have a database 'test'"
    if as_root && command -v su >/dev/null; then
      su postgres -c "psql -c 'create database test'" >/dev/null 2>&1 || true
    fi
  fi
  if [ ! -x /usr/bin/chromium ]; then apt_install chromium || say "chromium not installed: browser tests will skip"; fi
fi
