# Scenario 4: the phone leaves the group -> the kiosk removes the group (the
# GO never does it by itself) and becomes discoverable again; a second phone
# then connects.  static-pbc mode (everyone by push button, no whitelist).
# phone-a: P2P_CONNECT <kiosk> pbc (hwsim/README.md PBC (1)); phone-b the
# Android way: P2P_PROV_DISC <kiosk> pbc, P2P-PROV-DISC-PBC-RESP, then
# P2P_CONNECT <kiosk> pbc (README PBC (2): the kiosk must authorise, not
# initiate).
SCENARIO_TITLE="the phone leaves -> the kiosk removes the group and rediscovers; a second phone connects"
SCENARIO_TIMEOUT=150
SCENARIO_PHONES=2

# The Android framework's first step: provision discovery, answered at once
# by the kiosk's wpa_supplicant.
phone_b_pd_pbc() {
  local out
  out=$(phone_prov_disc 2 pbc) || { echo "no provision discovery answer: $out"; return 1; }
  [[ $out == *P2P-PROV-DISC-PBC-RESP* ]] || { echo "provision discovery: ${out#<3>}"; return 1; }
}

scenario() {
  local a=${PHONE_ADDR[1]} b=${PHONE_ADDR[2]} out
  step "settings: static-pbc mode"
  expect "settings saved" kiosk_settings '{"mode":"static-pbc","groupMode":"negotiated","idleGraceMs":1000}' || return 1
  expect "the kiosk is attached and discoverable" wait_state "d.daemon === 'connected' && d.discoverable" 30 || return 1

  step "phone-a connects by push button"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  expect "phone-a: P2P_CONNECT <kiosk> pbc -> P2P-GROUP-STARTED ... client" phone_connect_join 1 pbc || return 1
  expect "/api/state: phone-a is the client" wait_state "d.clients.length === 1 && d.clients[0].address === '$a' && d.group.ifname" 20 || return 1

  step "phone-a leaves"
  expect "phone-a left" phone_leave 1 || return 1
  expect "kiosk: AP-STA-DISCONNECTED phone-a" hwsim_wait_event "$KIOSK_DEV" "AP-STA-DISCONNECTED .*p2p_dev_addr=$a" 15 || return 1
  expect "kiosk: P2P-GROUP-REMOVED (removed by the agent)" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO reason=REQUESTED' 30 || return 1
  expect "/api/state: no group, no client, discoverable" wait_state 'd.group === null && d.clients.length === 0 && d.discoverable' 30 || return 1
  expect "no group interface left on the kiosk" test -z "$(hwsim_groups 0)" || return 1

  step "phone-b (Android way: provision discovery first) connects"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-b finds the kiosk (it is discoverable again)" phone_find 2 30 || return 1
  JOIN_PREPARE=phone_b_pd_pbc
  expect "phone-b: P2P_PROV_DISC <kiosk> pbc -> P2P-PROV-DISC-PBC-RESP, P2P_CONNECT <kiosk> pbc -> P2P-GROUP-STARTED ... client" \
    phone_connect_join 2 pbc || return 1
  JOIN_PREPARE=
  expect "/api/state: phone-b is the only client" wait_state "d.clients.length === 1 && d.clients[0].address === '$b' && d.group.ifname" 20 || return 1
  expect "/api/sessions: phone-a's session ended, phone-b's open" \
    api wait /api/sessions "d.items.some(s => s.peerAddress === '$a' && s.endedAt) && d.items.some(s => s.peerAddress === '$b' && s.connectedAt && !s.endedAt)" 15 || return 1
  expect "phone-b leaves" phone_leave 2 || return 1
  expect "kiosk: P2P-GROUP-REMOVED" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO ' 30 || return 1
  check_no_group_left
}
