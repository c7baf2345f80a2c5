#!/usr/bin/env bash
# tools/hwsim/suite.sh — the kiosk scenarios, in one VM boot (run it with
# tools/hwsim/run, or through `npm run test:hwsim`):
#
#   tools/hwsim/run tools/hwsim/suite.sh --share DIR -- [SCENARIO...]
#
# SCENARIOs are names from scenarios/ (e.g. 1-whitelisted-pbc) or their
# numbers (1 2 ...); default: all, in order.
#
# One agent serves the whole suite (as on a kiosk that sees one phone after
# another; starting node's module graph over 9p costs 15-40 s under TCG), with
# its database DIR/kiosk.db and log DIR/agent.log.  It is started before any
# wpa_supplicant runs, as after a boot where the agent comes up first.  Each
# scenario gets a freshly started kiosk wpa_supplicant (radio 0: the agent
# re-attaches; the daemon forgets every peer) and fresh phones (radios 1, 2);
# kiosk_reset puts the settings back to a baseline and empties the whitelist;
# sessions of earlier scenarios are hidden from its checks.  If the agent died
# during a scenario, it is started again before the next one (and said so).
#
# Per scenario, DIR/<scenario>/: output.log, agent.log (its part of the
# agent's log), state.log (every /api/state change), events-kiosk.txt,
# events-phone-*.txt, commands-kiosk.txt, logs/.
# Prints "PASS <scenario> (<s> s)" or "FAIL <scenario> (<s> s): <reason>" per
# scenario and a closing "hwsim: N passed, M failed"; exits 1 if any failed.
# The kiosk daemon runs with -d (its log records every control command the
# agent sent); HWSIM_WPAS_DEBUG=1 adds -d for the phones too.
source "${HWSIM_LIB:?run this script with tools/hwsim/run}"
source "$HWSIM_HOME/kiosk.sh"
set -u

export HWSIM_WPAS_DEBUG_wlan0=${HWSIM_WPAS_DEBUG_wlan0:-1}
SCENARIO_DIR=$HWSIM_HOME/scenarios
mapfile -t ALL < <(cd "$SCENARIO_DIR" && ls ./*.sh | sed 's|^\./||; s|\.sh$||' | sort -V)

args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=("${ALL[@]}")
selected=()
for arg in "${args[@]}"; do
  match=
  for name in "${ALL[@]}"; do
    [[ $name == "$arg" || ${name%%-*} == "$arg" ]] && match=$name
  done
  [[ -n $match ]] || { echo "suite: no scenario '$arg' (have: ${ALL[*]})"; exit 2; }
  selected+=("$match")
done

if [[ ! -f $HWSIM_REPO/apps/agent/dist/cli.js ]]; then
  echo "suite: $HWSIM_REPO/apps/agent/dist/cli.js is missing: run 'pnpm exec turbo run build' first"
  exit 2
fi

# --netns for phone N when the scenario lists N in SCENARIO_NETNS.
_netns_opt() { [[ " $SCENARIO_NETNS " == *" $1 "* ]] && echo --netns; return 0; }

# run_one NAME — one scenario in a child process group (so a stuck step can
# be ended as a whole at its deadline); clean-up and collection happen here.
run_one() {
  local name=$1 started=$EPOCHREALTIME rc reason
  export SCEN_DIR=$HWSIM_SHARE/$name
  rm -rf "$SCEN_DIR"; mkdir -p "$SCEN_DIR"
  hwsim_reset_clock
  SCENARIO_TIMEOUT=150 SCENARIO_PHONES=1 SCENARIO_NETNS= SCENARIO_TITLE=$name
  # shellcheck source=/dev/null
  source "$SCENARIO_DIR/$name.sh"
  echo "=== $name: $SCENARIO_TITLE"
  if ! kiosk_agent_alive; then
    hwsim_log "the agent is not running any more (see agent.log): starting it again"
    rm -f "$HWSIM_STATE/agent-up"
    kiosk_launch_agent
  fi
  AGENT_LOG_FROM=$(stat -c %s "$AGENT_LOG" 2>/dev/null || echo 0)

  set -m
  (
    set +m
    hwsim_log "starting the kiosk's wpa_supplicant and $SCENARIO_PHONES phone(s); resetting the agent"
    # In parallel (each takes 1-5 s under TCG); addresses are read after.
    kiosk_start_supplicant & k=$!
    phone_start 1 phone-a $(_netns_opt 1) & a=$!
    if ((SCENARIO_PHONES > 1)); then phone_start 2 phone-b $(_netns_opt 2) & b=$!; fi
    out=$(kiosk_wait_agent 120) || { fail "$out"; exit 1; }
    [[ -z $out ]] || hwsim_log "$out"
    expect "agent reset: baseline settings, empty whitelist" kiosk_reset || exit 1
    wait $k || { fail "the kiosk's wpa_supplicant did not start"; exit 1; }
    wait $a || { fail "phone-a did not start"; exit 1; }
    if ((SCENARIO_PHONES > 1)); then wait $b || { fail "phone-b did not start"; exit 1; }; fi
    KIOSK_ADDR=$(hwsim_p2p_addr 0) PHONE_ADDR[1]=$(hwsim_p2p_addr 1) PHONE_ADDR[2]=$(hwsim_p2p_addr 2)
    hwsim_log "kiosk $KIOSK_ADDR, phone-a ${PHONE_ADDR[1]}${PHONE_ADDR[2]:+, phone-b ${PHONE_ADDR[2]}}"
    expect "the agent is attached to the new daemon, discoverable, nothing left over" kiosk_ready || exit 1
    scenario || { [[ -n $SCEN_FAILED ]] || fail "scenario returned an error"; exit 1; }
    [[ -z $SCEN_FAILED ]]
  ) > >(tee "$SCEN_DIR/output.log") 2>&1 &
  # With job control on, the scenario's subshell leads its own process group.
  local pid=$!
  set +m
  # The agent's start (15-90 s under TCG, with the first scenario's daemons
  # starting meanwhile) is not the scenario's time.
  local allowance=0
  [[ -f $HWSIM_STATE/agent-up ]] || allowance=120
  local deadline=$(( ${EPOCHREALTIME%.*} + SCENARIO_TIMEOUT + allowance )) timed_out=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( ${EPOCHREALTIME%.*} >= deadline )); then
      timed_out=1
      hwsim_log "deadline of $SCENARIO_TIMEOUT s reached: stopping the scenario" | tee -a "$SCEN_DIR/output.log"
      # End the scenario's process group (its waits and helpers), by its id.
      kill -TERM -- "-$pid" 2>/dev/null
      sleep 1
      kill -KILL -- "-$pid" 2>/dev/null
      break
    fi
    sleep 0.5
  done
  wait "$pid" 2>/dev/null; rc=$?
  sleep 0.2   # let tee catch up
  reason=$(cat "$SCEN_DIR/.reason" 2>/dev/null); rm -f "$SCEN_DIR/.reason"
  ((timed_out)) && { rc=1; reason="deadline of $SCENARIO_TIMEOUT s reached${reason:+ (first failure: $reason)}"; }
  [[ -z $reason ]] || rc=1

  # Clean-up whatever happened: the daemons (SIGTERM: the agent sees the
  # kiosk's go away, as at a daemon restart) and monitors; keep the evidence.
  hwsim_stop_all
  sleep 1   # the agent logs how it saw the daemon go
  scenario_collect

  local secs=$(( $(hwsim_ms_since "$started") / 1000 )) retries=
  if [[ -s $SCEN_DIR/retries ]]; then
    retries=", $(wc -l <"$SCEN_DIR/retries") retry after a lost GO negotiation frame"
    sed 's/^/  retried: /' "$SCEN_DIR/retries"
  fi
  if ((rc == 0)); then
    echo "PASS $name (${secs} s${retries})"
    PASSED+=("$name")
  else
    echo "FAIL $name (${secs} s${retries}): ${reason:-exit $rc}"
    FAILED+=("$name")
  fi
  echo "$name ${rc} ${secs} ${reason}" >>"$HWSIM_SHARE/results.txt"
}

PASSED=() FAILED=()
: >"$HWSIM_SHARE/results.txt"
rm -f "$AGENT_DB" "$AGENT_DB"-* "$AGENT_LOG" "$HWSIM_SHARE/helper.log"
kiosk_start_helper || { echo "FAIL suite: the API helper did not start"; exit 1; }
# The agent comes up while the first scenario starts its daemons (kiosk_reset waits for it).
kiosk_launch_agent
for name in "${selected[@]}"; do run_one "$name"; done
kiosk_stop_agent
echo "hwsim: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
((${#FAILED[@]} == 0))
