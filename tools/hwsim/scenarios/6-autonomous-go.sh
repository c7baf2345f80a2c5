# Scenario 6: autonomous GO mode.  The kiosk keeps one standing group
# (P2P_GROUP_ADD); phones join it instead of negotiating.  Dynamic mode,
# unknown push button -> PIN: phone-a (whitelisted) joins by push button with
# `P2P_CONNECT <kiosk> pbc join`; phone-b (unknown) joins with the PIN
# /api/state shows: `P2P_CONNECT <kiosk> <PIN> keypad join` (wpa_supplicant
# sends the provision discovery for the join itself).  Both are connected at
# once.  When they have left the standing group stays; switching back to
# negotiated groups must remove it.
SCENARIO_TITLE="autonomous GO: a whitelisted phone joins by push button, a second one by PIN, both at once"
SCENARIO_TIMEOUT=170
SCENARIO_PHONES=2

# The PIN /api/state shows; if none yet, phone-b asks the kiosk to display
# one first (P2P_PROV_DISC <kiosk> display join).
pin_for_join() {
  local pin
  pin=$(kiosk_pin)
  if [[ -z $pin ]]; then
    hwsim_log "no PIN in /api/state yet: phone-b asks the kiosk to display one" >&2
    hwsim_cli wlan2 p2p_prov_disc "$KIOSK_ADDR" display join >/dev/null
    pin=$(wait_state 'd.pin' 20) || return 1
  fi
  hwsim_log "/api/state shows PIN $pin" >&2
  echo "$pin"
}

scenario() {
  local a=${PHONE_ADDR[1]} b=${PHONE_ADDR[2]} ifname
  step "settings: autonomous group, dynamic mode, unknown push button -> PIN; phone-a whitelisted"
  expect "phone-a whitelisted" kiosk_whitelist_add "$a" phone-a || return 1
  hwsim_mark "$KIOSK_DEV"
  expect "settings saved" kiosk_settings '{"mode":"dynamic","unknownPbc":"pin","fixedPin":null,"groupMode":"autonomous"}' || return 1
  ifname=$(wait_state "d.daemon === 'connected' && d.group && d.group.ifname" 40) \
    || { fail "no standing group in /api/state: $ifname"; return 1; }
  expect "kiosk: P2P-GROUP-STARTED $ifname GO" hwsim_wait_event "$KIOSK_DEV" "P2P-GROUP-STARTED $ifname GO " 10 || return 1
  expect "the kiosk is discoverable while it holds the group" wait_state 'd.discoverable' 20 || return 1

  step "phone-a joins by push button: P2P_CONNECT <kiosk> pbc join"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  JOIN_READY="d.discoverable && d.group && d.group.ifname === '$ifname' && d.pendingApprovals.length === 0"
  expect "phone-a: P2P_CONNECT <kiosk> pbc join -> P2P-GROUP-STARTED ... client" phone_connect_join 1 pbc join || return 1
  expect "/api/state: phone-a is a client of $ifname" \
    wait_state "d.group.ifname === '$ifname' && d.clients.some(c => c.address === '$a')" 20 || return 1

  step "phone-b joins with the PIN /api/state shows: P2P_CONNECT <kiosk> <PIN> keypad join"
  expect "phone-b finds the kiosk" phone_find 2 30 || return 1
  JOIN_PIN=pin_for_join
  expect "phone-b: P2P_CONNECT <kiosk> <the PIN shown> keypad join -> P2P-GROUP-STARTED ... client" \
    phone_connect_join 2 @PIN@ keypad join || return 1
  JOIN_PIN= JOIN_READY=
  expect "/api/state: both phones are clients of the one group at once" \
    wait_state "d.group.ifname === '$ifname' && d.clients.length === 2 && d.clients.some(c => c.address === '$a') && d.clients.some(c => c.address === '$b')" 20 || return 1
  expect "/api/sessions: two open sessions" \
    api wait /api/sessions "d.items.filter(s => (s.peerAddress === '$a' || s.peerAddress === '$b') && s.connectedAt && !s.endedAt).length === 2" 15 || return 1
  expect "the kernel has exactly one kiosk group" test "$(hwsim_groups 0)" = "$ifname" || return 1

  step "both leave; the standing group stays"
  expect "phone-a leaves" phone_leave 1 || return 1
  expect "phone-b leaves" phone_leave 2 || return 1
  expect "/api/sessions: both sessions ended" \
    api wait /api/sessions "d.items.filter(s => (s.peerAddress === '$a' || s.peerAddress === '$b') && s.endedAt).length === 2" 20 || return 1
  check_no_group_left --standing || return 1

  step "back to negotiated groups: the standing group must go"
  hwsim_mark "$KIOSK_DEV"
  expect "settings saved" kiosk_settings '{"groupMode":"negotiated"}' || return 1
  expect "kiosk: P2P-GROUP-REMOVED $ifname" hwsim_wait_event "$KIOSK_DEV" "P2P-GROUP-REMOVED $ifname GO " 30 || return 1
  check_no_group_left
}
