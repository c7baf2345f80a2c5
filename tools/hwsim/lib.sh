# tools/hwsim/lib.sh — radio-level helpers for scripts that `run` executes in
# the VM: start wpa_supplicant on a simulated radio, send control commands,
# log and wait for events.  Source it:  source "${HWSIM_LIB:?use tools/hwsim/run}"
#
# Radio N is wlanN.  mac80211_hwsim offers the P2P-device interface type, so
# wpa_supplicant (nl80211) creates a dedicated P2P device "p2p-dev-wlanN" per
# radio, as on a Raspberry Pi with driver_param=p2p_device=6: P2P commands may
# go to wlanN or p2p-dev-wlanN, but P2P *events* (P2P-DEVICE-FOUND,
# P2P-GO-NEG-REQUEST, P2P-GROUP-STARTED, copies of AP-STA-CONNECTED/...) arrive
# on p2p-dev-wlanN's control socket only.  Group interfaces are p2p-wlanN-M.
#
# Live files are in $HWSIM_LOGS (default /run/hwsim/logs, a tmpfs: the daemon
# logs with -d are large and 9p writes are slow); hwsim_save_logs copies them
# to the shared dir.
#   wpa_supplicant-wlanN.log   daemon log (-t timestamps)
#   events-IFACE.log           "T IFACE <3>EVENT..." per line, T in seconds
#                              since HWSIM_T0 (hwsim_reset_clock)
#   commands.log               every hwsim_cli command and its reply
#
# Functions:
#   hwsim_start_supplicant IDX [KEY=VALUE | RAW_LINE]...   start wpa_supplicant on wlanIDX
#   hwsim_kill_supplicant IDX [SIGNAL]          stop it (default TERM), wait until gone
#   hwsim_restart_supplicant IDX                start it again with the same config
#   hwsim_cli IFACE CMD [ARGS...]               wpa_cli command, logged; 1 on FAIL
#   hwsim_p2p_addr IDX                          P2P device address of wlanIDX
#   hwsim_groups IDX                            group netdevs p2p-wlanIDX-* that exist
#   hwsim_netns_radio IDX NS                    move radio IDX (its phy) into netns NS
#   hwsim_netns IDX                             the netns radio IDX is in (empty: the VM's own)
#   hwsim_in_netns IDX CMD [ARGS...]            run CMD where radio IDX is (netns or not)
#   hwsim_netns_release IDX                     radio IDX back to the VM's netns, NS deleted
#   hwsim_group_sockets IDX                     groups wpa_supplicant runs on wlanIDX
#   hwsim_wait_event IFACE REGEX [TIMEOUT]      wait for the next matching event
#   hwsim_mark IFACE                            skip the events seen so far
#   hwsim_follow IFACE PID                      stream new events (responder loops)
#   hwsim_collect_events OUT IFACE_REGEX        merge event logs into one file
#   hwsim_wps_checksum PIN7                     8-digit PIN with its WPS checksum
#   hwsim_until TIMEOUT CMD [ARGS...]           retry CMD until it succeeds
#   hwsim_stop_all                              stop everything started here
#   hwsim_save_logs DIR                         copy the live logs into DIR
#   hwsim_log MSG...                            timestamped message on stdout

HWSIM_CTRL_DIR=${HWSIM_CTRL_DIR:-/run/wpa_supplicant}
HWSIM_STATE=${HWSIM_STATE:-/run/hwsim/state}        # pids, cursors, configs
HWSIM_LOGS=${HWSIM_LOGS:-/run/hwsim/logs}
export HWSIM_T0=${HWSIM_T0:-$EPOCHREALTIME}
mkdir -p "$HWSIM_CTRL_DIR" "$HWSIM_STATE" "$HWSIM_LOGS"

# Start a new time base and empty logs (one per scenario).
hwsim_reset_clock() {
  HWSIM_T0=$EPOCHREALTIME
  rm -f "$HWSIM_LOGS"/events-*.log "$HWSIM_LOGS"/commands.log "$HWSIM_LOGS"/wpa_supplicant-*.log \
    "$HWSIM_STATE"/cursor-*
}

# Seconds since HWSIM_T0, millisecond resolution: "12.345".
hwsim_now() {
  local d=$(( ${EPOCHREALTIME/./} - ${HWSIM_T0/./} ))
  printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000))
}

# Milliseconds since an earlier $EPOCHREALTIME value.
hwsim_ms_since() { echo $(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 )); }

hwsim_log() { printf '[%8s] %s\n' "$(hwsim_now)" "$*"; }

# Remember a background PID for hwsim_stop_all.
hwsim_track_pid() { echo "$1" >>"$HWSIM_STATE/pids"; }

# hwsim_cli IFACE CMD [ARGS...] — one control command; prints the reply.
# Returns 1 when the reply is FAIL or UNKNOWN COMMAND.
hwsim_cli() {
  local ifc=$1; shift
  local reply sent
  sent=$(hwsim_now)
  reply=$(wpa_cli -p "$HWSIM_CTRL_DIR" -i "$ifc" "$@" 2>&1)
  printf '%s %s > %s\n%s %s < %s\n' "$sent" "$ifc" "$*" "$(hwsim_now)" "$ifc" \
    "${reply//$'\n'/ | }" >>"$HWSIM_LOGS/commands.log"
  printf '%s\n' "$reply"
  [[ $reply != FAIL* && $reply != 'UNKNOWN COMMAND'* && $reply != *'Failed to connect'* ]]
}

# hwsim_start_supplicant IDX [KEY=VALUE | RAW_LINE]...
# Writes a P2P-ready config for wlanIDX and starts wpa_supplicant on it.
# KEY=VALUE lines replace a default with the same key (or are added); any
# other line (e.g. a network={...} block) is appended as is.  Waits until
# p2p-dev-wlanIDX answers PING, then starts the event monitors.
# HWSIM_WPAS_DEBUG=1 (or 2) adds -d (or -dd) for every radio;
# HWSIM_WPAS_DEBUG_wlanN=1 for one radio only.
hwsim_start_supplicant() {
  local idx=$1; shift
  local ifc=wlan$idx
  local conf=$HWSIM_STATE/wpa_supplicant-$ifc.conf
  local keys=(ctrl_interface update_config device_name device_type
              p2p_listen_reg_class p2p_listen_channel p2p_oper_reg_class p2p_oper_channel)
  local -A val=(
    [ctrl_interface]=$HWSIM_CTRL_DIR
    [update_config]=0
    [device_name]=hwsim-$idx
    [device_type]=1-0050F204-1          # Computer / PC (WPS primary device type)
    # Listen on 2.4 GHz channel 1 and operate groups on channel 6: fixed so
    # every run behaves the same (no social-channel lottery).
    [p2p_listen_reg_class]=81
    [p2p_listen_channel]=1
    [p2p_oper_reg_class]=81
    [p2p_oper_channel]=6
  )
  local extra=() line key
  for line in "$@"; do
    if [[ $line =~ ^([a-z0-9_]+)=[^$'\n']*$ ]]; then
      key=${BASH_REMATCH[1]}
      [[ -v val[$key] ]] || keys+=("$key")
      val[$key]=${line#*=}
    else
      extra+=("$line")
    fi
  done
  {
    for key in "${keys[@]}"; do printf '%s=%s\n' "$key" "${val[$key]}"; done
    for line in "${extra[@]}"; do printf '%s\n' "$line"; done
  } >"$conf"
  _hwsim_launch_supplicant "$idx"
}

_hwsim_launch_supplicant() {
  local idx=$1 ifc=wlan$1
  local conf=$HWSIM_STATE/wpa_supplicant-$ifc.conf dbgvar=HWSIM_WPAS_DEBUG_wlan$1
  local debug=()
  case ${!dbgvar:-${HWSIM_WPAS_DEBUG:-0}} in 1) debug=(-d) ;; 2) debug=(-dd) ;; esac
  # In the radio's network namespace, if it has one (nl80211 only sees the phys of its own netns); the
  # control sockets are file system sockets under $HWSIM_CTRL_DIR, reachable from every netns.
  hwsim_in_netns "$idx" wpa_supplicant -B -Dnl80211 -i "$ifc" -c "$conf" -P "$HWSIM_STATE/wpa_supplicant-$ifc.pid" \
    -t -f "$HWSIM_LOGS/wpa_supplicant-$ifc.log" "${debug[@]}" || return 1
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(wpa_cli -p "$HWSIM_CTRL_DIR" -i "p2p-dev-$ifc" ping 2>/dev/null) == PONG ]] && break
    sleep 0.1
  done
  ((i < 100)) || { hwsim_log "wpa_supplicant on $ifc did not come up"; return 1; }
  hwsim_monitor "p2p-dev-$ifc"
  hwsim_monitor "$ifc"
  _hwsim_watch_groups
}

# hwsim_kill_supplicant IDX [SIGNAL=TERM] — signal wpa_supplicant on wlanIDX
# and wait (10 s at most) until the process is gone.
hwsim_kill_supplicant() {
  local idx=$1 sig=${2:-TERM} pidfile=$HWSIM_STATE/wpa_supplicant-wlan$1.pid pid i
  [[ -f $pidfile ]] || return 1
  pid=$(cat "$pidfile")
  kill -s "$sig" "$pid" 2>/dev/null || return 1
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
  ! kill -0 "$pid" 2>/dev/null
}

# hwsim_restart_supplicant IDX — start wlanIDX's daemon again, same config.
# The monitors are still attached (wpa_cli reconnects by itself).
hwsim_restart_supplicant() { _hwsim_launch_supplicant "$1"; }

# Group interfaces (p2p-wlanN-M) appear during group formation; WPS-* and
# CTRL-EVENT-CONNECTED of a group go to its own socket only.  One background
# loop attaches a monitor to each as soon as its socket exists (~0.1 s; the
# daemon log has anything earlier).
_hwsim_watch_groups() {
  # mkdir is atomic: radios started in parallel start one watcher only.
  mkdir "$HWSIM_STATE/watcher.lock" 2>/dev/null || return 0
  (
    local s
    while :; do
      for s in "$HWSIM_CTRL_DIR"/p2p-wlan*; do
        [[ -S $s && ! -f $HWSIM_STATE/monitor-${s##*/}.pid ]] && HWSIM_MONITOR_NOWAIT=1 hwsim_monitor "${s##*/}"
      done
      sleep 0.1
    done
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$HWSIM_STATE/watcher.pid"
  hwsim_track_pid $!
}

# hwsim_p2p_addr IDX — P2P device address of wlanIDX (from STATUS); differs
# from wlanIDX's MAC (hwsim: 02:00:00:00:0N:00 -> 42:00:00:00:0N:00).
hwsim_p2p_addr() {
  wpa_cli -p "$HWSIM_CTRL_DIR" -i "p2p-dev-wlan$1" status 2>/dev/null | sed -n 's/^p2p_device_address=//p'
}

# hwsim_groups IDX — the group interfaces of radio IDX that exist now (kernel
# view, whatever wpa_supplicant thinks), one per line.  Includes the netdev
# wpa_supplicant creates when a P2P_CONNECT starts, before any group exists.
hwsim_groups() {
  hwsim_in_netns "$1" ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' \
    | grep -E "^p2p-wlan$1-[0-9]+$" || true
}

# ------------------------------------------------------- network namespaces
# A radio moved into its own network namespace (a phone "elsewhere"): its
# netdevs (wlanIDX, the group interfaces wpa_supplicant creates later) live
# there, so IP traffic between it and radio 0 really crosses the simulated
# air instead of the VM's local routing.  mac80211_hwsim keeps delivering
# frames between radios in different namespaces (radios created at module
# load stay in one netgroup).  wpa_supplicant must run inside (nl80211 only
# sees the phys of its own netns): _hwsim_launch_supplicant does that.

# hwsim_netns_radio IDX NS — create netns NS (lo up) and move radio IDX's
# phy into it, before its wpa_supplicant starts.
hwsim_netns_radio() {
  local idx=$1 ns=$2 phy
  phy=$(cat "/sys/class/net/wlan$idx/phy80211/name" 2>/dev/null) \
    || { echo "hwsim_netns_radio: no wlan$idx in the VM's netns"; return 1; }
  ip netns add "$ns" || return 1
  ip -n "$ns" link set lo up || return 1
  iw phy "$phy" set netns name "$ns" || { ip netns del "$ns"; return 1; }
  printf '%s %s\n' "$ns" "$phy" >"$HWSIM_STATE/netns-wlan$idx"
  ip -n "$ns" link show "wlan$idx" >/dev/null 2>&1 \
    || { echo "hwsim_netns_radio: wlan$idx did not appear in $ns"; return 1; }
}

# hwsim_netns IDX — the netns radio IDX was moved into (empty: the VM's own).
hwsim_netns() {
  local ns phy
  [[ -f $HWSIM_STATE/netns-wlan$1 ]] && read -r ns phy <"$HWSIM_STATE/netns-wlan$1" && echo "$ns"
  return 0
}

# hwsim_in_netns IDX CMD [ARGS...] — CMD in radio IDX's netns (or here).
hwsim_in_netns() {
  local idx=$1 ns; shift
  ns=$(hwsim_netns "$idx")
  if [[ -n $ns ]]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# hwsim_netns_release IDX — end what still runs in radio IDX's netns, move
# its phy back to the VM's netns (pid 1's) and delete the netns, so the next
# scenario finds wlanIDX where it always is.  No-op without a netns.
hwsim_netns_release() {
  local idx=$1 ns phy pid i
  [[ -f $HWSIM_STATE/netns-wlan$idx ]] || return 0
  read -r ns phy <"$HWSIM_STATE/netns-wlan$idx"
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  for ((i = 0; i < 30; i++)); do [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break; sleep 0.1; done
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns exec "$ns" iw phy "$phy" set netns 1 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -f "$HWSIM_STATE/netns-wlan$idx"
  # (Deleting the netns alone would hand the phy back too, but only once the
  # kernel has cleaned the netns up, asynchronously.)
  for ((i = 0; i < 30; i++)); do [[ -e /sys/class/net/wlan$idx ]] && break; sleep 0.1; done
  [[ -e /sys/class/net/wlan$idx ]] || { hwsim_log "radio $idx ($phy) is not back as wlan$idx after leaving netns $ns"; return 1; }
  hwsim_log "radio $idx ($phy) back from netns $ns (deleted)"
}

# hwsim_group_sockets IDX — the groups wpa_supplicant runs on radio IDX (a
# group interface gets its control socket when the group starts), one per line.
hwsim_group_sockets() {
  local s
  for s in "$HWSIM_CTRL_DIR"/p2p-wlan"$1"-*; do [[ -S $s ]] && echo "${s##*/}"; done
  return 0
}

# Adds the relative timestamp and interface name to each event line read from
# an interactive wpa_cli, dropping its prompts, banner and redraw noise.
_hwsim_stamp_events() {
  local ifc=$1 line re='[<][0-9][>].*'
  while IFS= read -r line; do
    [[ $line =~ $re ]] || continue
    line=${BASH_REMATCH[0]%$'\r'}
    printf '%s %s %s\n' "$(hwsim_now)" "$ifc" "$line"
  done
}

# hwsim_monitor IFACE — log every event of IFACE to $HWSIM_LOGS/events-IFACE.log.
# An interactive wpa_cli attaches and prints each event; it exits on EOF, so
# its stdin is a FIFO opened read-write (never EOF, no writer needed).  When
# the daemon goes away wpa_cli keeps retrying and re-attaches when it is back.
# Background processes here never keep the caller's stdout: a caller inside
# $(...) would otherwise wait for them forever.
hwsim_monitor() {
  local ifc=$1
  [[ -f $HWSIM_STATE/monitor-$ifc.pid ]] && return 0
  local fifo=$HWSIM_STATE/monitor-$ifc.in
  : >>"$HWSIM_LOGS/events-$ifc.log"
  [[ -p $fifo ]] || mkfifo "$fifo"
  (
    echo "$BASHPID" >"$HWSIM_STATE/monitor-$ifc.pid"
    exec stdbuf -oL wpa_cli -p "$HWSIM_CTRL_DIR" -i "$ifc" <>"$fifo" 2>&1
  ) 2>/dev/null | _hwsim_stamp_events "$ifc" >>"$HWSIM_LOGS/events-$ifc.log" 2>/dev/null &
  [[ -n ${HWSIM_MONITOR_NOWAIT:-} ]] && return 0
  # Give wpa_cli a moment to ATTACH so the first events are not lost.
  local i
  for ((i = 0; i < 20; i++)); do
    [[ -s $HWSIM_STATE/monitor-$ifc.pid ]] && break
    sleep 0.05
  done
  sleep 0.3
}

# hwsim_wait_event IFACE REGEX [TIMEOUT=30]
# Waits for the next event of IFACE (after the last one this function
# returned, or after hwsim_mark) whose text matches the extended REGEX.
# Prints the raw event ("<3>P2P-..."); returns 1 on timeout.
hwsim_wait_event() {
  local ifc=$1 re=$2 timeout=${3:-30}
  local log=$HWSIM_LOGS/events-$ifc.log cursor=$HWSIM_STATE/cursor-$ifc
  local from hit
  from=$(cat "$cursor" 2>/dev/null || echo 0)
  local deadline=$(( ${EPOCHREALTIME/./} + timeout * 1000000 ))
  while :; do
    hit=$(awk -v from="$from" -v re="$re" 'NR > from {
            ev = $0; sub(/^[^ ]+ [^ ]+ /, "", ev)
            if (ev ~ re) { print NR " " ev; exit }
          }' "$log" 2>/dev/null)
    if [[ -n $hit ]]; then
      echo "${hit%% *}" >"$cursor"
      printf '%s\n' "${hit#* }"
      return 0
    fi
    (( ${EPOCHREALTIME/./} < deadline )) || return 1
    sleep 0.2
  done
}

# hwsim_mark IFACE — hwsim_wait_event will only look at events after now.
hwsim_mark() {
  local log=$HWSIM_LOGS/events-$1.log
  wc -l <"$log" >"$HWSIM_STATE/cursor-$1" 2>/dev/null || echo 0 >"$HWSIM_STATE/cursor-$1"
}

# hwsim_follow IFACE PID — print IFACE's events as they arrive, from now on,
# one "T IFACE <3>EVENT" line each, until process PID (the loop's shell)
# exits (for responder loops):
#   me=$BASHPID
#   while read -r t ifc ev; do ...; done < <(hwsim_follow p2p-dev-wlan0 "$me")
hwsim_follow() {
  tail -n 0 -F --pid="${2:?hwsim_follow IFACE PID}" "$HWSIM_LOGS/events-$1.log" 2>/dev/null
}

# hwsim_collect_events OUT IFACE_REGEX — merge the event logs of the
# interfaces whose names match IFACE_REGEX (e.g. '^(p2p-dev-)?wlan0$|^p2p-wlan0-')
# into OUT, ordered by time.
hwsim_collect_events() {
  local out=$1 re=$2 f name files=()
  for f in "$HWSIM_LOGS"/events-*.log; do
    name=${f##*/events-}; name=${name%.log}
    [[ $name =~ $re ]] && files+=("$f")
  done
  if ((${#files[@]})); then
    cat "${files[@]}" | grep -E '^[^ ]+ [^ ]+ <[0-9]>' | sort -s -n -k1,1 >"$out"
  else
    : >"$out"
  fi
}

# hwsim_until TIMEOUT CMD [ARGS...] — run CMD every 0.3 s until it succeeds
# (0) or TIMEOUT seconds have passed (1); prints CMD's last output.
hwsim_until() {
  local timeout=$1 out; shift
  local deadline=$(( ${EPOCHREALTIME/./} + timeout * 1000000 ))
  while :; do
    if out=$("$@" 2>&1); then
      [[ -z $out ]] || printf '%s\n' "$out"
      return 0
    fi
    if (( ${EPOCHREALTIME/./} >= deadline )); then
      echo "still not after $timeout s${out:+: $(tail -n1 <<<"$out")}"
      return 1
    fi
    sleep 0.3
  done
}

# hwsim_wps_checksum PIN7 — the 8-digit WPS PIN whose last digit is the
# checksum of the 7 given digits (hostap wps_pin_checksum()).
#   hwsim_wps_checksum 1234567 -> 12345670
hwsim_wps_checksum() {
  local pin=$1 acc=0 i d
  [[ $pin =~ ^[0-9]{7}$ ]] || { echo "hwsim_wps_checksum: need 7 digits" >&2; return 1; }
  for ((i = 0; i < 7; i++)); do
    d=${pin:i:1}
    if ((i % 2 == 0)); then acc=$((acc + 3 * d)); else acc=$((acc + d)); fi
  done
  echo "$pin$(( (10 - acc % 10) % 10 ))"
}

# hwsim_stop_all — stop the daemons and helpers started here, by PID, and
# forget their state (cursors, monitors, radios' network namespaces) so the
# next scenario starts clean.
# wpa_supplicant goes first (SIGTERM: it removes its groups and says so on
# the sockets, still monitored), then the monitors and tracked PIDs.
hwsim_stop_all() {
  local f pid i pids=()
  for f in "$HWSIM_STATE"/wpa_supplicant-*.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f"); rm -f "$f"
    kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  # SIGTERM to all first, then wait (5 s at most) until all are gone.
  for ((i = 0; i < 50 && ${#pids[@]} > 0; i++)); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.1
  done
  ((${#pids[@]} == 0)) || kill -9 "${pids[@]}" 2>/dev/null
  sleep 0.3
  if [[ -f $HWSIM_STATE/pids ]]; then
    while read -r pid; do kill "$pid" 2>/dev/null; done <"$HWSIM_STATE/pids"
    rm -f "$HWSIM_STATE/pids" "$HWSIM_STATE/watcher.pid"
  fi
  rmdir "$HWSIM_STATE/watcher.lock" 2>/dev/null
  for f in "$HWSIM_STATE"/monitor-*.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    # The monitor's subshell exec'd wpa_cli: this PID is wpa_cli itself.
    kill "$pid" 2>/dev/null; rm -f "$f"
  done
  rm -f "$HWSIM_STATE"/cursor-*
  for f in "$HWSIM_STATE"/netns-wlan*; do
    [[ -f $f ]] && hwsim_netns_release "${f##*netns-wlan}"
  done
  return 0
}

# hwsim_save_logs DIR — copy the live logs into DIR (e.g. in the shared dir).
hwsim_save_logs() {
  mkdir -p "$1" && cp -f "$HWSIM_LOGS"/* "$1"/ 2>/dev/null
  return 0
}
