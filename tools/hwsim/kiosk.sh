# tools/hwsim/kiosk.sh — the kiosk and its phones, for the scenario scripts.
# Sourced by suite.sh after lib.sh.  Radio 0 is the kiosk: wpa_supplicant
# configured like the Raspberry Pi image, driven by OUR agent
# (apps/agent/bin/wdk.js) over p2p-dev-wlan0.  Radios 1 and 2 are phones
# ("phone-a", "phone-b"), plain wpa_supplicants scripted through wpa_cli the
# way a phone's Wi-Fi Direct framework drives its own.
#
# Kiosk:   kiosk_start_supplicant, kiosk_start_helper, kiosk_launch_agent,
#          kiosk_wait_agent, kiosk_stop_agent, kiosk_reset, api get|call|wait|healthz,
#          kiosk_settings JSON, kiosk_whitelist_add ADDR LABEL,
#          whitelisted_pbc_connect N NAME
# Phones:  phone_start N NAME [--netns], phone_find N, phone_connect N ARGS...,
#          phone_wait_result N [TIMEOUT], phone_leave N, phone_cancel N,
#          phone_group N, phone_run N CMD..., phone_dhcp N [HOSTNAME] [TIMEOUT]
# Checks:  expect DESCRIPTION CMD..., fail MSG, step MSG,
#          check_no_group_left [--standing]
# Results: scenario_collect (event logs, daemon logs, agent log, state
#          timeline into $SCEN_DIR)

KIOSK_IDX=0
KIOSK_DEV=p2p-dev-wlan0
KIOSK_PORT=8080
HELPER_PORT=8099
AGENT_DB=$HWSIM_SHARE/kiosk.db
AGENT_LOG=$HWSIM_SHARE/agent.log
KIOSK_ADDR=
PHONE_ADDR=()              # PHONE_ADDR[N]: P2P device address of radio N
AGENT_PID= HELPER_PID=
SCEN_FAILED=

# ------------------------------------------------------------------ checks
step() { hwsim_log "-- $*"; }
# fail MSG — log MSG; the first one becomes the scenario's reason (kept in
# $SCEN_DIR/.reason, which survives the scenario's process being killed).
fail() {
  hwsim_log "FAIL: $*"
  if [[ -z $SCEN_FAILED ]]; then
    SCEN_FAILED=$*
    [[ -n ${SCEN_DIR:-} && ! -f $SCEN_DIR/.reason ]] && printf '%s\n' "$*" >"$SCEN_DIR/.reason"
  fi
  return 1
}
# expect DESCRIPTION CMD [ARGS...] — run CMD; on success log DESCRIPTION, on
# failure record it (with CMD's last output line) and return 1.
expect() {
  local what=$1 out rc; shift
  out=$("$@" 2>&1); rc=$?
  if ((rc == 0)); then
    hwsim_log "ok: $what${out:+ ($(tail -n1 <<<"$out" | cut -c1-300))}"
    return 0
  fi
  fail "$what${out:+: $(tail -n1 <<<"$out" | cut -c1-400)}"
}

# api get PATH [EXPR] | call METHOD PATH [JSON] | wait PATH EXPR [TIMEOUT] |
#     healthz [TIMEOUT] — the agent's HTTP API through the helper server
# (kiosk-api.mjs; curl costs ~0.1 s where starting node costs 1-3 s under
# TCG).  Prints the value; on failure prints the reason and returns non-zero.
api() {
  local op=$1; shift
  case $op in
    get) _api_helper get -G --data-urlencode "path=$1" ${2:+--data-urlencode "expr=$2"} ;;
    call) _api_helper "call?method=$1&path=$2" --data-binary "${3:-}" ;;
    wait) _api_helper wait -G --data-urlencode "path=$1" --data-urlencode "expr=$2" --data-urlencode "timeout=${3:-30}" ;;
    healthz) _api_helper healthz -G --data-urlencode "timeout=${1:-90}" ;;
    *) echo "api: unknown operation $op"; return 2 ;;
  esac
}
_api_helper() {
  local route=$1; shift
  curl -sS --fail-with-body --max-time 300 "$@" "http://127.0.0.1:$HELPER_PORT/$route"
}

# ------------------------------------------------------------------- kiosk
# The kiosk's wpa_supplicant.conf, as on the Pi image (seed README): P2P
# device name DIRECT-..., GO intent 15, push button advertised.  The agent
# sets config_methods and the device name itself from its settings.
# (No driver_param=p2p_device=6: mac80211_hwsim offers the P2P device
# interface type, so wpa_supplicant creates p2p-dev-wlan0 anyway; no country:
# the initramfs has no regulatory.db, the world domain allows channels 1/6.)
kiosk_start_supplicant() {
  hwsim_start_supplicant "$KIOSK_IDX" \
    update_config=1 device_name=DIRECT-kiosk device_type=7-0050F204-1 \
    config_methods=virtual_push_button p2p_go_intent=15 p2p_go_ht40=1 persistent_reconnect=1 \
    || return 1
  KIOSK_ADDR=$(hwsim_p2p_addr "$KIOSK_IDX")
  [[ -n $KIOSK_ADDR ]]
}

# kiosk_start_helper — the API helper server (once per VM boot).
kiosk_start_helper() {
  node "$HWSIM_HOME/kiosk-api.mjs" "http://127.0.0.1:$KIOSK_PORT" "$HELPER_PORT" \
    </dev/null >>"$HWSIM_SHARE/helper.log" 2>&1 &
  HELPER_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$HELPER_PORT/" && return 0
    kill -0 "$HELPER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the API helper did not start: $(tail -n 3 "$HWSIM_SHARE/helper.log")"
  return 1
}

# kiosk_launch_agent — start `wdk agent` on the kiosk's control socket
# (whether or not the daemon runs yet: the agent waits for it), its database
# and log in the shared dir (the repository is read-only in the VM), with the
# welcome page for phones on the group address (port 80).  One
# agent serves the whole suite, like a kiosk that sees one phone after
# another.  kiosk_wait_agent waits for its /healthz.
kiosk_launch_agent() {
  (
    cd "$HWSIM_REPO" || exit 1
    exec node apps/agent/bin/wdk.js agent --ctrl-dir "$HWSIM_CTRL_DIR" --iface "$KIOSK_DEV" \
      --db "file:$AGENT_DB" --host 127.0.0.1 --port "$KIOSK_PORT" --welcome-page --log-level debug
  ) </dev/null >>"$AGENT_LOG" 2>&1 &
  AGENT_PID=$!
  AGENT_LAUNCHED_AT=$EPOCHREALTIME
}

kiosk_wait_agent() {
  if ! api healthz "${1:-120}" >/dev/null; then
    echo "the agent did not answer /healthz within ${1:-120} s (pid $AGENT_PID): $(tail -n 3 "$AGENT_LOG" | tr '\n' ' ' | cut -c1-400)"
    return 1
  fi
  [[ -f $HWSIM_STATE/agent-up ]] && return 0
  : >"$HWSIM_STATE/agent-up"
  echo "agent pid $AGENT_PID up $(hwsim_ms_since "$AGENT_LAUNCHED_AT") ms after its start"
}

kiosk_agent_alive() { [[ -n $AGENT_PID ]] && kill -0 "$AGENT_PID" 2>/dev/null; }

kiosk_stop_agent() {
  [[ -n $AGENT_PID ]] || return 0
  kill "$AGENT_PID" 2>/dev/null
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$AGENT_PID" 2>/dev/null; then
    hwsim_log "agent did not stop within 10 s of SIGTERM; SIGKILL"
    kill -9 "$AGENT_PID" 2>/dev/null
  fi
  wait "$AGENT_PID" 2>/dev/null
  AGENT_PID=
  rm -f "$HWSIM_STATE/agent-up"
}

# kiosk_reset — before each scenario: the operator's settings back to a known
# baseline, an empty whitelist, sessions of earlier scenarios hidden from this
# one's checks, /api/state changes logged to $SCEN_DIR/state.log.  Runs while
# the daemons start; kiosk_ready then waits until the agent is attached to the
# (freshly started) kiosk daemon with nothing left over.
BASELINE_SETTINGS='{"mode":"dynamic","unknownPbc":"approve","fixedPin":null,"groupMode":"negotiated","deviceName":"DIRECT-kiosk","idleGraceMs":1000,"approvalTimeoutMs":60000,"persistent":false}'
kiosk_reset() {
  local id
  kiosk_wait_agent 120 || return 1
  _api_helper scenario -G --data-urlencode "state_log=$SCEN_DIR/state.log" --data-urlencode "t0=$HWSIM_T0" >/dev/null || return 1
  api call PUT /api/settings "$BASELINE_SETTINGS" >/dev/null || return 1
  for id in $(api get /api/whitelist 'd.map(e => e.id).join(" ")'); do
    api call DELETE "/api/whitelist/$id" >/dev/null || return 1
  done
}

kiosk_ready() {
  api wait /api/state "d.daemon === 'connected' && d.discoverable && d.group === null && d.clients.length === 0 && d.pendingApprovals.length === 0" 60
}

# kiosk_settings JSON — PUT /api/settings.
kiosk_settings() { api call PUT /api/settings "$1" >/dev/null; }

# kiosk_whitelist_add ADDRESS LABEL
kiosk_whitelist_add() {
  api call POST /api/whitelist "{\"address\":\"$1\",\"label\":\"$2\"}" >/dev/null
}

# whitelisted_pbc_connect N NAME — dynamic mode with negotiated groups, phone
# N whitelisted as NAME; it discovers the kiosk and connects by push button
# (P2P_CONNECT <kiosk> pbc) until its P2P-GROUP-STARTED ... client.
whitelisted_pbc_connect() {
  local a=${PHONE_ADDR[$1]}
  step "settings: dynamic mode, negotiated groups; $2 ($a) on the whitelist"
  expect "settings saved" kiosk_settings '{"mode":"dynamic","unknownPbc":"approve","groupMode":"negotiated","idleGraceMs":1000}' || return 1
  expect "$2 whitelisted" kiosk_whitelist_add "$a" "$2" || return 1
  expect "the kiosk is attached and discoverable" wait_state "d.daemon === 'connected' && d.discoverable" 30 || return 1
  step "$2: discover, P2P_CONNECT <kiosk> pbc"
  hwsim_mark "$KIOSK_DEV"
  expect "$2 finds the kiosk" phone_find "$1" 30 || return 1
  expect "$2: P2P_CONNECT <kiosk> pbc -> P2P-GROUP-STARTED ... client" phone_connect_join "$1" pbc || return 1
}

# ------------------------------------------------------------------- phones
# phone_start N NAME [--netns] — a phone on radio N (an Android-like P2P
# device: push button, keypad and display offered; GO intent left at the
# default 7).  --netns: radio N first moves into its own network namespace
# NAME (hwsim_netns_radio), so the phone's IP traffic to the kiosk crosses the
# simulated link; hwsim_stop_all moves it back.
phone_start() {
  if [[ ${3:-} == --netns ]]; then hwsim_netns_radio "$1" "$2" || return 1; fi
  hwsim_start_supplicant "$1" device_name="$2" device_type=10-0050F204-5 \
    config_methods="virtual_push_button keypad display" || return 1
  PHONE_ADDR[$1]=$(hwsim_p2p_addr "$1")
  [[ -n ${PHONE_ADDR[$1]} ]]
}

# phone_find N [TIMEOUT=30] — forget earlier peers (P2P-DEVICE-FOUND is
# reported once per peer) and search until the kiosk shows up; prints the
# P2P-DEVICE-FOUND line.  type=social: no initial scan of every channel (the
# kiosk listens on social channel 1), which saves seconds per discovery.
phone_find() {
  local n=$1 timeout=${2:-30}
  hwsim_mark "p2p-dev-wlan$n"
  hwsim_cli "wlan$n" p2p_flush >/dev/null
  hwsim_cli "wlan$n" p2p_find type=social >/dev/null || return 1
  hwsim_wait_event "p2p-dev-wlan$n" "P2P-DEVICE-FOUND .*p2p_dev_addr=$KIOSK_ADDR" "$timeout"
}

# phone_connect N ARGS... — P2P_CONNECT <kiosk> ARGS (e.g. pbc, "PIN keypad",
# "pbc join").  Marks the phone's events so phone_wait_result sees only what
# follows.
phone_connect() {
  local n=$1; shift
  hwsim_mark "p2p-dev-wlan$n"
  hwsim_cli "wlan$n" p2p_connect "$KIOSK_ADDR" "$@" >/dev/null
}

# phone_prov_disc N METHOD — P2P_PROV_DISC <kiosk> METHOD (pbc | display |
# keypad), the Android framework's first step; prints the answer event.
phone_prov_disc() {
  local n=$1 method=$2
  hwsim_mark "p2p-dev-wlan$n"
  hwsim_cli "wlan$n" p2p_prov_disc "$KIOSK_ADDR" "$method" >/dev/null || return 1
  hwsim_wait_event "p2p-dev-wlan$n" "P2P-PROV-DISC-[A-Z-]+ $KIOSK_ADDR|P2P-PROV-DISC-FAILURE" 20
}

# phone_wait_result N [TIMEOUT=60] — the outcome of phone N's attempt: prints
# the event.  0: P2P-GROUP-STARTED as client;
# 1: a failure event; 2: nothing within TIMEOUT.
phone_wait_result() {
  local n=$1 timeout=${2:-60} ev
  ev=$(hwsim_wait_event "p2p-dev-wlan$n" \
    'P2P-GROUP-STARTED|P2P-GO-NEG-FAILURE|P2P-GROUP-FORMATION-FAILURE|WPS-FAIL|P2P-PROV-DISC-FAILURE|WPS-TIMEOUT' "$timeout") \
    || { echo "no result within $timeout s"; return 2; }
  echo "$ev"
  [[ $ev == *P2P-GROUP-STARTED*' client '* ]]
}

# phone_joined N [TIMEOUT=60] — phone_wait_result for `expect`, with timing.
phone_joined() {
  local out rc t0=$EPOCHREALTIME
  out=$(phone_wait_result "$@"); rc=$?
  echo "${out#<3>} after $(hwsim_ms_since "$t0") ms"
  return $rc
}

# phone_connect_join N ARGS... — P2P_CONNECT <kiosk> ARGS and wait (60 s) for
# the phone's P2P-GROUP-STARTED ... client; prints the outcome.  An ARG
# "@PIN@" is replaced by the PIN the kiosk shows ($JOIN_PIN, default
# kiosk_pin) at each attempt.  Hooks (function names): $JOIN_PREPARE runs
# before each P2P_CONNECT, $JOIN_AFTER_CONNECT after it (e.g. the operator
# approves).
#
# One retry, only for what TCG's slowness does to frame timing (both seen on
# hwsim, with the kiosk doing its part right):
# - the phone reports P2P-GO-NEG-FAILURE status=-1: the kiosk's GO
#   Negotiation Confirm reached the phone after it had left the channel
#   (kiosk log: "Confirm TX callback: result=1 ... Assume GO Negotiation
#   Confirm TX was actually received"; the kiosk says P2P-GO-NEG-SUCCESS);
# - WPS succeeded but the 4-way handshake did not: the GO retransmits
#   EAPOL-Key messages after hostapd's 100 ms first timeout
#   (eapol_key_timeout_first), the emulated phone answers the previous one
#   (kiosk: "invalid MIC in msg 2/4", AP-STA-POSSIBLE-PSK-MISMATCH; phone:
#   "WPA: 4-Way Handshake failed", P2P-GROUP-FORMATION-FAILURE).
# Like a user who taps again: first the kiosk must have recovered
# ($JOIN_READY, an /api/state predicate; default: discoverable, no group,
# nothing pending) and the phone must find it again.  Retries are counted in
# $SCEN_DIR/retries and shown in the PASS line.
phone_connect_join() {
  local n=$1; shift
  local attempt out rc a args first= t0
  local ready=${JOIN_READY:-'d.discoverable && d.group === null && d.pendingApprovals.length === 0'}
  for attempt in 1 2; do
    if ((attempt == 2)); then
      api wait /api/state "$ready" 60 >/dev/null \
        || { echo "after a failed attempt ($first) the kiosk did not get ready again ($ready)"; return 1; }
      phone_find "$n" 30 >/dev/null || { echo "after a failed attempt phone $n did not find the kiosk again"; return 1; }
    fi
    if [[ -n ${JOIN_PREPARE:-} ]]; then
      out=$($JOIN_PREPARE 2>&1) || { echo "$JOIN_PREPARE: $out"; return 1; }
    fi
    args=()
    for a in "$@"; do
      [[ $a == @PIN@ ]] && { a=$(${JOIN_PIN:-kiosk_pin}) && [[ -n $a ]] || { echo "no PIN shown"; return 1; }; }
      args+=("$a")
    done
    t0=$(hwsim_now)
    phone_connect "$n" "${args[@]}" || { echo "P2P_CONNECT ${args[*]} refused"; return 1; }
    if [[ -n ${JOIN_AFTER_CONNECT:-} ]]; then
      out=$($JOIN_AFTER_CONNECT 2>&1) || { echo "$JOIN_AFTER_CONNECT: $out"; return 1; }
    fi
    out=$(phone_joined "$n" 60); rc=$?
    if ((rc == 1 && attempt == 1)) && { [[ $out == *'P2P-GO-NEG-FAILURE status=-1'* ]] \
        || { [[ $out == *P2P-GROUP-FORMATION-FAILURE* ]] && _phone_4way_failed "$n" "$t0"; }; }; then
      first=${out#<3>}
      [[ $out == *P2P-GROUP-FORMATION-FAILURE* ]] && first="$first (WPA: 4-Way Handshake failed)"
      echo "phone $n, P2P_CONNECT ${args[*]}: $first" >>"$SCEN_DIR/retries"
      continue
    fi
    echo "${out#<3>}${first:+ (second attempt; the first: $first)}"
    return $rc
  done
}

# Did phone N's group interface report a failed 4-way handshake after T?
_phone_4way_failed() {
  cat "$HWSIM_LOGS"/events-p2p-wlan"$1"-*.log 2>/dev/null \
    | awk -v t="$2" '$1 > t' | grep -q '4-Way Handshake failed'
}

# phone_leave N — the phone leaves its group (P2P_GROUP_REMOVE) and waits
# for its own P2P-GROUP-REMOVED.
phone_leave() {
  local n=$1 g
  g=$(hwsim_group_sockets "$n" | head -n1)
  [[ -n $g ]] || { echo "phone $n is in no group"; return 1; }
  hwsim_cli "wlan$n" p2p_group_remove "$g" >/dev/null || return 1
  hwsim_wait_event "p2p-dev-wlan$n" "P2P-GROUP-REMOVED $g" 15 >/dev/null
}

phone_cancel() { hwsim_cli "wlan$1" p2p_cancel >/dev/null; hwsim_cli "wlan$1" p2p_stop_find >/dev/null; }

# phone_group N — the group interface phone N is a client on (empty: none).
phone_group() { hwsim_group_sockets "$1" | head -n1; }

# phone_run N CMD [ARGS...] — CMD where phone N's radio is (its netns, if any).
phone_run() { hwsim_in_netns "$@"; }

# phone_dhcp N [HOSTNAME] [TIMEOUT=30] — what Android does once it joined a
# group: a DHCP client on the group interface.  busybox udhcpc (-q: quit once
# bound, no DHCPRELEASE; -n: give up after the retries) with a script that
# configures the leased address, as Android's does; prints the lease
# ("ip=… mask=… serverid=… router=… lease=…").  The client's log is
# udhcpc-IFACE.log in the logs.
phone_dhcp() {
  local n=$1 host=${2:-} timeout=${3:-30} g env script=$HWSIM_STATE/udhcpc.script
  g=$(phone_group "$n")
  [[ -n $g ]] || { echo "phone $n is in no group"; return 1; }
  env=$HWSIM_STATE/udhcpc-$g.env
  rm -f "$env"
  cat >"$script" <<SCRIPT
#!/bin/sh
# udhcpc's script (written by kiosk.sh phone_dhcp): configure the lease on \$interface.
case "\$1" in
  deconfig) ip -4 addr flush dev "\$interface"; ip link set dev "\$interface" up ;;
  bound|renew)
    ip addr replace "\$ip/\${mask:-24}" dev "\$interface"
    echo "ip=\$ip mask=\${mask:-} serverid=\${serverid:-} router=\${router:-none} lease=\${lease:-}" >"$HWSIM_STATE/udhcpc-\$interface.env" ;;
esac
exit 0
SCRIPT
  chmod +x "$script"
  phone_run "$n" busybox udhcpc -f -q -n -i "$g" -s "$script" -t $(( timeout / 3 )) -T 3 \
    ${host:+-x "hostname:$host"} >>"$HWSIM_LOGS/udhcpc-$g.log" 2>&1 \
    || { echo "no lease on $g within ~$timeout s: $(tail -n 2 "$HWSIM_LOGS/udhcpc-$g.log" | tr '\n' ' ')"; return 1; }
  [[ -s $env ]] || { echo "udhcpc exited without a lease: $(tail -n 2 "$HWSIM_LOGS/udhcpc-$g.log" | tr '\n' ' ')"; return 1; }
  cat "$env"
}

# --------------------------------------------------------------- the API view
# The PIN /api/state shows (empty when none).
kiosk_pin() { api get /api/state 'd.pin ?? ""'; }

# wait_state EXPR [TIMEOUT=30] DESCRIPTION — for `expect`: poll /api/state.
wait_state() { api wait /api/state "$1" "${2:-30}"; }

# A valid WPS PIN that differs from $1.
other_pin() {
  local p
  for p in 8765432 1234567 5550123; do
    p=$(hwsim_wps_checksum "$p")
    [[ $p != "$1" ]] && { echo "$p"; return; }
  done
}

# check_no_group_left [--standing] — at the end of a scenario: every phone
# has left its group, the kiosk has removed its own (unless --standing:
# autonomous mode keeps exactly one) — no netdev left in the kernel either —
# and /api/state agrees.  (Phones are checked by wpa_supplicant's groups only:
# a phone's P2P_CANCEL while it waits for the kiosk leaves the netdev it
# created for the group behind; that is the phone's business.)
check_no_group_left() {
  local standing=0 n groups
  [[ ${1:-} == --standing ]] && standing=1
  for n in 1 2; do
    groups=$(hwsim_group_sockets "$n")
    [[ -z $groups ]] || { fail "phone $n is still in group(s): $groups"; return 1; }
  done
  if ((standing)); then
    expect "the standing group is still up, without clients" \
      wait_state 'd.group && d.clients.length === 0 && d.group.ifname' 30 || return 1
    [[ $(hwsim_groups "$KIOSK_IDX" | wc -l) -eq 1 ]] \
      || { fail "the kiosk has $(hwsim_groups "$KIOSK_IDX" | wc -l) group interfaces, expected 1"; return 1; }
  else
    expect "the kiosk reports no group and no client" \
      wait_state 'd.group === null && d.clients.length === 0' 30 || return 1
    groups=$(hwsim_groups "$KIOSK_IDX")
    [[ -z $groups ]] || { fail "the kiosk still has group interface(s): $groups"; return 1; }
    hwsim_log "ok: no group interface left on any radio"
  fi
}

# ----------------------------------------------------------------- results
# scenario_collect — everything worth keeping, into $SCEN_DIR:
#   events-kiosk.txt, events-phone-a.txt, events-phone-b.txt (all events
#   of each radio's interfaces, "T IFACE <N>EVENT"), commands-kiosk.txt (the
#   control commands the kiosk's daemon received, from its -d log),
#   logs/ (daemon logs, per-interface event logs, our wpa_cli commands),
#   agent.log (the agent's lines since byte $AGENT_LOG_FROM of $AGENT_LOG).
scenario_collect() {
  [[ -f $AGENT_LOG ]] && tail -c +$(( ${AGENT_LOG_FROM:-0} + 1 )) "$AGENT_LOG" >"$SCEN_DIR/agent.log"
  hwsim_collect_events "$SCEN_DIR/events-kiosk.txt" '^(p2p-dev-)?wlan0$|^p2p-wlan0-'
  hwsim_collect_events "$SCEN_DIR/events-phone-a.txt" '^(p2p-dev-)?wlan1$|^p2p-wlan1-'
  hwsim_collect_events "$SCEN_DIR/events-phone-b.txt" '^(p2p-dev-)?wlan2$|^p2p-wlan2-'
  [[ -s $SCEN_DIR/events-phone-b.txt ]] || rm -f "$SCEN_DIR/events-phone-b.txt"
  # "1795435617.051170: p2p-dev-wlan0: Control interface command 'P2P_FIND'"
  # -> "12.345 p2p-dev-wlan0 P2P_FIND".  PING is not logged at -d; the
  # ATTACH/DETACH lines include our wpa_cli monitors'.
  if [[ -f $HWSIM_LOGS/wpa_supplicant-wlan0.log ]]; then
    awk -v t0="$HWSIM_T0" '
      /Control interface command / {
        t = $1; sub(/:$/, "", t); ifc = $2; sub(/:$/, "", ifc)
        cmd = $0; sub(/^[^\047]*\047/, "", cmd); sub(/\047$/, "", cmd)
        # What an interactive wpa_cli (our event monitors) sends on start.
        if (cmd ~ /^(BSS RANGE=|LIST_CREDS|LIST_NETWORKS|STA-FIRST)/) next
        printf "%.3f %s %s\n", t - t0, ifc, cmd
      }' "$HWSIM_LOGS/wpa_supplicant-wlan0.log" >"$SCEN_DIR/commands-kiosk.txt"
  fi
  hwsim_save_logs "$SCEN_DIR/logs"
}
