# Scenario 2: an unknown phone asks by push button; the operator approves it
# through the API (round 1), then denies its next request (round 2).
# Dynamic mode, unknownPbc=approve, empty whitelist.  Phone side: P2P_CONNECT
# <kiosk> pbc (hwsim/README.md "PBC, phone initiates" (1)).
#
# What "denied" can look like from the phone: the kiosk already answered the
# phone's GO Negotiation Request with status 1 (information currently
# unavailable) when it reported P2P-GO-NEG-REQUEST, and P2P_REJECT sends
# nothing to the phone.  Measured on hwsim: the phone waits hostap's
# p2p_go_neg_wait_timeout (120 s) and then reports P2P-GO-NEG-FAILURE
# status=-1.  So the round checks that no group forms within 8 s of the
# denial and takes any failure the phone reports meanwhile; then the phone's
# user gives up (P2P_CANCEL) and the kiosk must be discoverable again.
SCENARIO_TITLE="an unknown phone asks by push button: approved, then denied"
SCENARIO_TIMEOUT=170
SCENARIO_PHONES=1

# After phone-a's P2P_CONNECT: the approval shows up in /api/state, nothing
# is connected yet, and the operator approves it through the API.
approve_phone_a() {
  local id
  id=$(wait_state "(d.pendingApprovals.find(p => p.address === '${PHONE_ADDR[1]}' && p.method === 'pbc') || {}).id" 30) \
    || { echo "no pending push-button approval for phone-a in /api/state: $id"; return 1; }
  [[ -z $(hwsim_groups 0) ]] || { echo "a group exists before the operator answered"; return 1; }
  api call POST "/api/approvals/$id/approve" '{}' >/dev/null
}

scenario() {
  local a=${PHONE_ADDR[1]} id out
  step "settings: dynamic mode, unknown push button -> operator approval; empty whitelist"
  expect "settings saved" kiosk_settings '{"mode":"dynamic","unknownPbc":"approve","groupMode":"negotiated","idleGraceMs":1000,"approvalTimeoutMs":60000}' || return 1
  expect "the kiosk is attached and discoverable" wait_state "d.daemon === 'connected' && d.discoverable" 30 || return 1

  step "round 1 (approve): phone-a discovers the kiosk, P2P_CONNECT <kiosk> pbc"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  JOIN_AFTER_CONNECT=approve_phone_a
  expect "phone-a: P2P_CONNECT <kiosk> pbc; a pending approval in /api/state, no group yet; approved through the API -> P2P-GROUP-STARTED ... client" \
    phone_connect_join 1 pbc || return 1
  JOIN_AFTER_CONNECT=
  expect "/api/state: phone-a is a client, the approval is gone" \
    wait_state "d.clients.some(c => c.address === '$a') && d.pendingApprovals.length === 0 && d.group.ifname" 20 || return 1
  expect "/api/sessions: an open session for phone-a" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.connectedAt && !s.endedAt)" 15 || return 1
  expect "phone-a leaves" phone_leave 1 || return 1
  expect "kiosk: P2P-GROUP-REMOVED" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO ' 30 || return 1
  expect "/api/state: no group, discoverable" wait_state 'd.group === null && d.discoverable' 30 || return 1

  step "round 2 (deny): phone-a asks again"
  hwsim_mark "$KIOSK_DEV"
  expect "phone-a finds the kiosk" phone_find 1 30 || return 1
  expect "phone-a's P2P_CONNECT accepted" phone_connect 1 pbc || return 1
  id=$(wait_state "(d.pendingApprovals.find(p => p.address === '$a') || {}).id" 30) \
    || { fail "no pending approval for phone-a's second request: $id"; return 1; }
  hwsim_log "ok: pending approval $id"
  expect "denied through POST /api/approvals/$id/deny" api call POST "/api/approvals/$id/deny" '{}' || return 1
  expect "/api/state: the approval is gone" wait_state "d.pendingApprovals.length === 0 && d.clients.length === 0" 10 || return 1
  out=$(phone_wait_result 1 8); case $? in
    0) fail "phone-a joined a group although it was denied: $out"; return 1 ;;
    1) hwsim_log "ok: phone-a's attempt failed: ${out#<3>}" ;;
    2) hwsim_log "ok: no group 8 s after the denial (the phone reports nothing before hostap's 120 s wait ends)" ;;
  esac
  expect "no group on the kiosk" test -z "$(hwsim_groups 0)" || return 1
  step "phone-a's user gives up (P2P_CANCEL); the kiosk must be discoverable again"
  phone_cancel 1
  expect "/api/state: discoverable, no group" wait_state 'd.discoverable && d.group === null' 30 || return 1
  expect "phone-a finds the kiosk again" phone_find 1 30 || return 1
  hwsim_log "sessions: $(api get /api/sessions 'JSON.stringify(d.items.map(s => [s.peerAddress, s.method, !!s.connectedAt, s.endReason]))')"
  check_no_group_left
}
