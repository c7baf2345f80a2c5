# Scenario 1: a whitelisted phone connects by push button, with no operator
# action.  Dynamic mode (whitelisted -> push button at once; unknown push
# button -> operator approval); phone-a is on the whitelist by address.
# Phone side as hwsim/README.md "PBC, phone initiates" (1): P2P_CONNECT
# <kiosk> pbc after discovery; the kiosk answers the P2P-GO-NEG-REQUEST.
SCENARIO_TITLE="a whitelisted phone connects by push button with no operator action"
SCENARIO_TIMEOUT=110
SCENARIO_PHONES=1

scenario() {
  local a=${PHONE_ADDR[1]}
  whitelisted_pbc_connect 1 phone-a || return 1
  expect "kiosk: P2P-GROUP-STARTED ... GO" hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-STARTED p2p-wlan0-[0-9]+ GO ' 15 || return 1
  expect "kiosk: AP-STA-CONNECTED phone-a" hwsim_wait_event "$KIOSK_DEV" "AP-STA-CONNECTED .*p2p_dev_addr=$a" 15 || return 1
  expect "/api/state: phone-a is a client, nothing pending, a group" \
    wait_state "d.group !== null && d.clients.some(c => c.address === '$a') && d.pendingApprovals.length === 0 && d.group.ifname" 20 || return 1
  expect "/api/sessions: an open push-button session for phone-a" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.connectedAt && !s.endedAt)" 15 || return 1

  step "phone-a leaves the group"
  expect "phone-a left" phone_leave 1 || return 1
  expect "kiosk: AP-STA-DISCONNECTED phone-a" hwsim_wait_event "$KIOSK_DEV" "AP-STA-DISCONNECTED .*p2p_dev_addr=$a" 15 || return 1
  expect "kiosk: P2P-GROUP-REMOVED (the agent removed the empty group)" \
    hwsim_wait_event "$KIOSK_DEV" 'P2P-GROUP-REMOVED p2p-wlan0-[0-9]+ GO ' 30 || return 1
  expect "/api/sessions: phone-a's session ended" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.endedAt)" 15 || return 1
  expect "/api/state: discoverable again" wait_state 'd.discoverable && d.group === null' 30 || return 1
  check_no_group_left
}
