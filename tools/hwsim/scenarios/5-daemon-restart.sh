# Scenario 5: the kiosk's wpa_supplicant is killed (SIGKILL: a crash, no
# CTRL-EVENT-TERMINATING) while a phone is connected, and started again (as
# systemd's Restart= would).  The agent must notice, close the open session,
# re-attach when the daemon is back, be discoverable again, and the next
# phone must connect.  static-pbc mode.
# Measured on hwsim: the kernel deletes the kiosk's GO interface and P2P
# device with the killed process (no stale netdev), the stale control socket
# files stay in the ctrl dir until the daemon is back; the connected phone
# sees CTRL-EVENT-BEACON-LOSS at once and P2P-GROUP-REMOVED ... reason=IDLE
# about 10 s later.
SCENARIO_TITLE="the kiosk's wpa_supplicant is killed and restarted: the agent re-attaches, the next phone connects"
SCENARIO_TIMEOUT=170
SCENARIO_PHONES=2

scenario() {
  local a=${PHONE_ADDR[1]} b=${PHONE_ADDR[2]}
  step "settings: static-pbc mode"
  expect "settings saved" kiosk_settings '{"mode":"static-pbc","groupMode":"negotiated","idleGraceMs":1000}' || return 1
  expect "the kiosk is attached and discoverable" wait_state "d.daemon === 'connected' && d.discoverable" 30 || return 1

  step "phone-a connects by push button"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  expect "phone-a: P2P_CONNECT <kiosk> pbc -> P2P-GROUP-STARTED ... client" phone_connect_join 1 pbc || return 1
  expect "/api/state: phone-a is a client" wait_state "d.clients.some(c => c.address === '$a') && d.group.ifname" 20 || return 1

  step "SIGKILL the kiosk's wpa_supplicant"
  expect "wpa_supplicant on wlan0 killed" hwsim_kill_supplicant "$KIOSK_IDX" KILL || return 1
  expect "/api/state: the agent reports the daemon lost, no group, no client" \
    wait_state "d.daemon === 'disconnected' && d.group === null && d.clients.length === 0" 30 || return 1
  expect "/api/sessions: phone-a's session was closed" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.endedAt)" 15 || return 1
  expect "phone-a: its group went away with the kiosk's" \
    hwsim_wait_event p2p-dev-wlan1 'P2P-GROUP-REMOVED p2p-wlan1-[0-9]+ client' 30 || return 1

  step "start wpa_supplicant again (same configuration)"
  hwsim_mark "$KIOSK_DEV"
  expect "wpa_supplicant on wlan0 restarted" hwsim_restart_supplicant "$KIOSK_IDX" || return 1
  expect "/api/state: the agent re-attached and is discoverable" \
    wait_state "d.daemon === 'connected' && d.discoverable" 60 || return 1

  step "phone-b connects by push button"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-b finds the kiosk" phone_find 2 40 || return 1
  expect "phone-b: P2P_CONNECT <kiosk> pbc -> P2P-GROUP-STARTED ... client" phone_connect_join 2 pbc || return 1
  expect "/api/state: phone-b is the client" wait_state "d.clients.length === 1 && d.clients[0].address === '$b' && d.group.ifname" 20 || return 1
  expect "phone-b leaves" phone_leave 2 || return 1
  expect "kiosk: P2P-GROUP-REMOVED" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO ' 30 || return 1
  hwsim_log "sessions: $(api get /api/sessions 'JSON.stringify(d.items.map(s => [s.peerAddress, s.method, !!s.connectedAt, s.endReason]))')"
  check_no_group_left
}
