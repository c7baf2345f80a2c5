# Scenario 3: keypad PIN.  The kiosk shows a PIN in /api/state (static-pin
# mode, a fresh PIN per session); the phone's user types it: P2P_CONNECT
# <kiosk> <PIN> keypad (hwsim/README.md "PIN, phone types the kiosk's PIN"),
# the kiosk sees P2P-GO-NEG-REQUEST dev_passwd_id=1 and answers with
# `display`.  If /api/state shows no PIN before a request, the phone first
# asks the kiosk to display one (P2P_PROV_DISC <kiosk> display, as Android).
# Round 2: a wrong PIN: WPS fails at M4 on both sides within seconds, then a
# new PIN must be shown and the kiosk must be discoverable again.
SCENARIO_TITLE="keypad PIN: the right PIN connects; a wrong one fails and a new PIN is shown"
SCENARIO_TIMEOUT=150
SCENARIO_PHONES=1

# shown_pin — the PIN /api/state shows, asking for one by provision
# discovery if none is shown yet.
shown_pin() {
  local pin
  pin=$(kiosk_pin)
  if [[ -z $pin ]]; then
    hwsim_log "no PIN in /api/state yet: phone-a asks the kiosk to display one (P2P_PROV_DISC display)" >&2
    phone_prov_disc 1 display >/dev/null
    pin=$(wait_state 'd.pin' 20) || return 1
  fi
  echo "$pin"
}

scenario() {
  local a=${PHONE_ADDR[1]} pin wrong out
  step "settings: static-pin mode, a fresh PIN per session"
  expect "settings saved" kiosk_settings '{"mode":"static-pin","fixedPin":null,"groupMode":"negotiated","idleGraceMs":1000}' || return 1
  expect "the kiosk is attached and discoverable" wait_state "d.daemon === 'connected' && d.discoverable" 30 || return 1

  step "round 1: phone-a types the PIN the kiosk shows"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  pin=$(shown_pin) || { fail "no PIN in /api/state: $pin"; return 1; }
  hwsim_log "ok: /api/state shows PIN $pin"
  JOIN_PIN=shown_pin
  expect "phone-a: P2P_CONNECT <kiosk> <the PIN shown> keypad -> P2P-GROUP-STARTED ... client" \
    phone_connect_join 1 @PIN@ keypad || return 1
  JOIN_PIN=
  expect "kiosk: P2P-GO-NEG-SUCCESS ... wps_method=Display" \
    hwsim_wait_event "$KIOSK_DEV" "P2P-GO-NEG-SUCCESS role=GO .*peer_dev=$a .*wps_method=Display" 5 || return 1
  expect "/api/state: phone-a is a client" wait_state "d.clients.some(c => c.address === '$a') && d.group.ifname" 20 || return 1
  expect "/api/sessions: an open PIN session for phone-a" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.connectedAt && !s.endedAt)" 15 || return 1
  expect "phone-a leaves" phone_leave 1 || return 1
  expect "kiosk: P2P-GROUP-REMOVED" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO ' 30 || return 1
  expect "/api/state: no group, discoverable" wait_state 'd.group === null && d.discoverable' 30 || return 1

  step "round 2: phone-a types a wrong PIN"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  pin=$(shown_pin) || { fail "no PIN in /api/state: $pin"; return 1; }
  wrong=$(other_pin "$pin")
  hwsim_log "ok: /api/state shows PIN $pin; phone-a types $wrong"
  expect "phone-a's P2P_CONNECT <kiosk> $wrong keypad accepted" phone_connect 1 "$wrong" keypad || return 1
  out=$(phone_wait_result 1 60); case $? in
    0) fail "phone-a joined with a wrong PIN: $out"; return 1 ;;
    1) hwsim_log "ok: phone-a's attempt failed: ${out#<3>}" ;;
    2) fail "phone-a saw neither a group nor a failure within 60 s"; return 1 ;;
  esac
  expect "kiosk: WPS-FAIL / P2P-GROUP-FORMATION-FAILURE / P2P-GROUP-REMOVED" \
    hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO reason=FORMATION_FAILED|P2P-GO-NEG-FAILURE' 30 || return 1
  expect "/api/state: a new PIN is shown" wait_state "d.pin && d.pin !== '$pin' && d.pin" 20 || return 1
  expect "/api/state: discoverable, no group, no client" \
    wait_state 'd.discoverable && d.group === null && d.clients.length === 0' 30 || return 1
  expect "phone-a finds the kiosk again" phone_find 1 30 || return 1
  hwsim_log "sessions: $(api get /api/sessions 'JSON.stringify(d.items.map(s => [s.peerAddress, s.method, !!s.connectedAt, s.endReason]))')"
  check_no_group_left
}
