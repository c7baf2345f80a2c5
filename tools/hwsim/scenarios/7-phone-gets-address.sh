# Scenario 7: a phone gets an IP address from the kiosk and reaches it over
# the Wi-Fi Direct link (issue 11).  phone-a's radio is in its own network
# namespace "phone-a" (SCENARIO_NETNS), with its wpa_supplicant running there:
# the only way from the phone to 192.168.49.1 is the P2P group on the
# simulated air, not the VM's local routing.  Dynamic mode, phone-a
# whitelisted: P2P_CONNECT <kiosk> pbc as in scenario 1.
#
# The phone does what Android's Wi-Fi Direct client does once it joined: a
# DHCP client on the group interface (busybox udhcpc), then uses the address.
# Its wpa_supplicant also asks for an address in the 4-way handshake (every
# wpa_supplicant P2P client sends the IP address request KDE) and the kiosk's
# wpa_supplicant allocates one from the EAPOL pool (192.168.49.100-199):
# P2P-GROUP-STARTED ... ip_addr=... on the phone, AP-STA-CONNECTED ...
# ip_addr=... on the kiosk.  wpa_supplicant only reports it; it configures
# nothing, and a phone that runs DHCP (as here, and most Android versions)
# uses the DHCP lease from dnsmasq's pool (192.168.49.10-99).  The agent
# first shows the EAPOL address and then the DHCP one, the last assignment:
# /api/state must end with the address the phone actually configured.
#
# When the phone leaves, the kiosk removes the group: the group interface,
# its 192.168.49.1, dnsmasq (and its lease file) and the welcome page go.
SCENARIO_TITLE="a phone in its own netns gets a DHCP address from the kiosk, pings it and loads the welcome page over the P2P link"
SCENARIO_TIMEOUT=150
SCENARIO_PHONES=1
SCENARIO_NETNS=1

KIOSK_GATEWAY=192.168.49.1

# No IPv4 address 192.168.49.1 on any interface of the VM's netns (the kiosk's).
_kiosk_gateway_gone() {
  local left
  left=$(ip -o -4 addr show | grep -F " $KIOSK_GATEWAY/") && { echo "still addressed: $left"; return 1; }
  return 0
}
_no_dnsmasq() {
  local left
  left=$(pgrep -a -x dnsmasq) && { echo "dnsmasq still runs: $left"; return 1; }
  return 0
}
_no_lease_file() {
  local left
  left=$(ls "$HWSIM_SHARE"/dhcp/*.leases 2>/dev/null) && { echo "lease file left: $left"; return 1; }
  return 0
}
_no_welcome_listener() {
  local left
  left=$(ss -Hltn 'sport = :80') && [[ -n $left ]] && { echo "port 80 still served: $left"; return 1; }
  return 0
}
# The phone's netns holds lo, wlan1 and the group interface only: no other way out.
_phone_ns_links() {
  local links
  links=$(phone_run 1 ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
  echo "$links"
  [[ $links =~ ^lo\ (p2p-wlan1-[0-9]+\ )?wlan1\ $ ]]
}
# A lease from dnsmasq's pool (192.168.49.10-99), from the kiosk, without a router.
_lease_ok() {
  [[ $1 =~ ^ip=192\.168\.49\.([1-9][0-9])\  && $1 == *" serverid=$KIOSK_GATEWAY "* && $1 == *' router=none '* ]]
}
# The agent's API (127.0.0.1:8080 in the kiosk) is not reachable from the phone.
_api_unreachable() {
  local out
  out=$(phone_run 1 curl -sS --max-time 5 "http://$KIOSK_GATEWAY:8080/api/state" 2>&1) \
    && { echo "it answered: $out"; return 1; }
  echo "${out:0:120}"
}

scenario() {
  local a=${PHONE_ADDR[1]} g kg lease ip eapol page route neigh
  step "phone-a's radio is in netns $(hwsim_netns 1)"
  expect "wlan1 is not in the VM's netns any more" test ! -e /sys/class/net/wlan1 || return 1
  expect "netns phone-a has wlan1" phone_run 1 ip -o link show wlan1 || return 1

  whitelisted_pbc_connect 1 phone-a || return 1
  kg=$(wait_state "d.group && d.clients.some(c => c.address === '$a') && d.group.ifname" 20) \
    || { fail "/api/state: phone-a is not a client: $kg"; return 1; }
  hwsim_log "ok: /api/state: phone-a is a client of $kg"
  g=$(phone_group 1)
  expect "phone-a's group interface $g is in its netns" phone_run 1 ip -o link show "$g" || return 1
  expect "the kiosk's $kg has $KIOSK_GATEWAY/24" \
    hwsim_until 15 sh -c "ip -o -4 addr show dev $kg | grep -F ' $KIOSK_GATEWAY/24'" || return 1
  expect "dnsmasq runs on $kg" hwsim_until 15 sh -c "pgrep -a -x dnsmasq | grep -F -- '--interface=$kg'" || return 1
  # What the phone's wpa_supplicant was given in EAPOL-Key message 3 (reported, not configured).
  eapol=$(grep -h -o 'P2P-GROUP-STARTED .* client .*' "$HWSIM_LOGS"/events-p2p-dev-wlan1.log | tail -n1 \
    | grep -o ' ip_addr=[0-9.]*' | head -n1 | cut -d= -f2)
  if [[ -n $eapol ]]; then
    expect "kiosk: AP-STA-CONNECTED phone-a ip_addr=$eapol (EAPOL-Key allocation; phone-a only reports it)" \
      hwsim_wait_event "$KIOSK_DEV" "AP-STA-CONNECTED .*p2p_dev_addr=$a ip_addr=$eapol" 10 || return 1
  else
    hwsim_log "note: phone-a got no EAPOL-Key address"
  fi

  step "phone-a runs a DHCP client on $g (as Android does)"
  lease=$(phone_dhcp 1 phone-a 30) || { fail "phone-a: no DHCP lease: $lease"; return 1; }
  ip=$(sed -n 's/^ip=\([0-9.]*\) .*/\1/p' <<<"$lease")
  hwsim_log "ok: phone-a leased $lease"
  expect "the lease is from dnsmasq's pool (192.168.49.10-99), served by $KIOSK_GATEWAY, no router" \
    _lease_ok "$lease" || return 1
  expect "phone-a's $g has $ip/24" phone_run 1 sh -c "ip -o -4 addr show dev $g | grep -F ' $ip/24'" || return 1
  expect "phone-a's netns: only lo, wlan1 and $g" _phone_ns_links || return 1
  route=$(phone_run 1 ip route get "$KIOSK_GATEWAY")
  expect "phone-a routes $KIOSK_GATEWAY through $g (${route%%$'\n'*})" grep -q "dev $g " <<<"$route" || return 1
  expect "dnsmasq's lease file has $ip for phone-a" \
    hwsim_until 10 grep -F " $ip phone-a " "$HWSIM_SHARE/dhcp/$kg.leases" || return 1

  step "phone-a reaches the kiosk over the link"
  expect "phone-a: ping $KIOSK_GATEWAY" phone_run 1 busybox ping -c 3 -W 5 "$KIOSK_GATEWAY" || return 1
  neigh=$(ip neigh show "$ip" dev "$kg")
  expect "the kiosk learnt phone-a's $ip on $kg (${neigh:-no neighbour entry})" test -n "$neigh" || return 1
  page=$(phone_run 1 curl -sS --max-time 15 -D - "http://$KIOSK_GATEWAY/" 2>&1) \
    || { fail "phone-a: GET http://$KIOSK_GATEWAY/ failed: $(tail -n1 <<<"$page")"; return 1; }
  expect "phone-a: GET http://$KIOSK_GATEWAY/ -> 200, the welcome page of DIRECT-kiosk" \
    bash -c 'grep -q "^HTTP/1.1 200" <<<"$1" && grep -q "You are connected to DIRECT-kiosk" <<<"$1" && grep -q "How to disconnect" <<<"$1"' _ "$page" || return 1
  expect "phone-a: the agent's API (http://$KIOSK_GATEWAY:8080/) is not reachable" _api_unreachable || return 1

  step "the kiosk knows phone-a's address"
  # The agent showed the EAPOL address first (AP-STA-CONNECTED); the DHCP lease came later and wins.
  expect "/api/state: clients[].ip of phone-a is $ip (its DHCP lease${eapol:+, not the EAPOL $eapol})" \
    wait_state "d.clients.some(c => c.address === '$a' && c.ip === '$ip')" 20 || return 1
  expect "/api/sessions: phone-a's open session has ip $ip" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.connectedAt && !s.endedAt && s.ip === '$ip')" 15 || return 1

  step "phone-a leaves; the kiosk removes the group and everything it served on it"
  expect "phone-a left" phone_leave 1 || return 1
  expect "kiosk: P2P-GROUP-REMOVED $kg (the agent removed the empty group)" \
    hwsim_wait_event "$KIOSK_DEV" "P2P-GROUP-REMOVED $kg GO " 30 || return 1
  expect "no group interface left in phone-a's netns" test -z "$(hwsim_groups 1)" || return 1
  expect "$kg is gone from the kernel" hwsim_until 10 bash -c "! ip link show $kg >/dev/null 2>&1" || return 1
  expect "no $KIOSK_GATEWAY left on any interface" hwsim_until 10 _kiosk_gateway_gone || return 1
  expect "dnsmasq has exited" hwsim_until 10 _no_dnsmasq || return 1
  expect "its lease file is removed" hwsim_until 10 _no_lease_file || return 1
  expect "the welcome page no longer listens" hwsim_until 10 _no_welcome_listener || return 1
  expect "/api/sessions: phone-a's session ended, with its ip $ip" \
    api wait /api/sessions "d.items.find(s => s.peerAddress === '$a' && s.endedAt && s.ip === '$ip')" 15 || return 1
  expect "/api/state: discoverable again, no client" wait_state 'd.discoverable && d.group === null && d.clients.length === 0' 30 || return 1
  check_no_group_left
}
