#!/usr/bin/env bash
# tools/hwsim/selftest.sh — checks the VM itself, without the agent: the
# radios, wpa_supplicant P2P discovery between the kiosk's and a phone's
# radio, node and the repository's native modules over 9p, SQLite in WAL mode
# in the shared dir, loopback.  `node scripts/test-hwsim.mjs --selftest`.
source "${HWSIM_LIB:?run this script with tools/hwsim/run}"
source "$HWSIM_HOME/kiosk.sh"
set -u -o pipefail
FAILURES=0
check() {
  local what=$1; shift
  if out=$("$@" 2>&1); then hwsim_log "ok: $what${out:+ ($(tail -n1 <<<"$out"))}"
  else hwsim_log "FAIL: $what: $(tail -n3 <<<"$out" | tr '\n' ' ')"; FAILURES=$((FAILURES + 1)); fi
}

check "kernel with mac80211_hwsim ($HWSIM_RADIOS radios)" bash -c "uname -r; test \$(ls -d /sys/class/ieee80211/phy* | wc -l) -eq $HWSIM_RADIOS"
check "loopback is up" bash -c "ip -br link show lo | grep -q UP"
check "wpa_supplicant" wpa_supplicant -v
check "node" node --version
check "better-sqlite3 (native module) with WAL in the shared dir" \
  bash -c "cd '$HWSIM_REPO/apps/agent' && node -e \"const D = require('better-sqlite3'); const db = new D(process.argv[1]); console.log(db.pragma('journal_mode=WAL', { simple: true })); db.exec('create table t(x)'); db.close()\" '$HWSIM_SHARE/selftest.db'"
rm -f "$HWSIM_SHARE"/selftest.db*
check "the agent is built (apps/agent/dist/cli.js)" test -f "$HWSIM_REPO/apps/agent/dist/cli.js"
check "wdk --help" bash -o pipefail -c "cd '$HWSIM_REPO' && node apps/agent/bin/wdk.js --help | head -n1"

check "the kiosk's wpa_supplicant" kiosk_start_supplicant
check "the phone's wpa_supplicant" phone_start 1 phone-a
check "kiosk P2P_FIND" hwsim_cli wlan0 p2p_find
check "the phone finds DIRECT-kiosk" phone_find 1 30
hwsim_stop_all

if ((FAILURES == 0)); then echo "PASS selftest"; else echo "FAIL selftest: $FAILURES check(s) failed"; exit 1; fi
