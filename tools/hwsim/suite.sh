#!/usr/bin/env bash
# tools/hwsim/suite.sh — the kiosk scenarios, in one VM boot (run it with
# tools/hwsim/run, or through `npm run test:hwsim`):
#
#   tools/hwsim/run tools/hwsim/suite.sh --share DIR -- [SCENARIO...]
#
# SCENARIOs are names from scenarios/ (e.g. 1-whitelisted-pbc) or their
# numbers (1 2 ...); default: all, in order.  Each scenario gets a fresh
# kiosk wpa_supplicant (radio 0), fresh phones (radios 1 and 2), a fresh
# agent with its own database, and its own directory DIR/<scenario>/ with
# output.log, agent.log, kiosk.db, state.log (every /api/state change),
# events-kiosk.txt, events-phone-*.txt, commands-kiosk.txt and logs/.
#
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

# run_one NAME — one scenario in a child process group (so a stuck step can
# be killed as a whole on its deadline); set-up and clean-up happen here.
run_one() {
  local name=$1 started=$EPOCHREALTIME rc reason
  export SCEN_DIR=$HWSIM_SHARE/$name
  rm -rf "$SCEN_DIR"; mkdir -p "$SCEN_DIR"
  hwsim_reset_clock
  SCENARIO_TIMEOUT=150 SCENARIO_PHONES=1 SCENARIO_TITLE=$name
  # shellcheck source=/dev/null
  source "$SCENARIO_DIR/$name.sh"
  echo "=== $name: $SCENARIO_TITLE"
  set -m
  (
    set +m
    hwsim_log "starting the kiosk's wpa_supplicant and $SCENARIO_PHONES phone(s)"
    kiosk_start_supplicant || { fail "kiosk wpa_supplicant did not start"; exit 1; }
    phone_start 1 phone-a || { fail "phone-a did not start"; exit 1; }
    if ((SCENARIO_PHONES > 1)); then phone_start 2 phone-b || { fail "phone-b did not start"; exit 1; }; fi
    hwsim_log "kiosk $KIOSK_ADDR, phone-a ${PHONE_ADDR[1]}${PHONE_ADDR[2]:+, phone-b ${PHONE_ADDR[2]}}"
    kiosk_start_agent || exit 1
    scenario || { [[ -n $SCEN_FAILED ]] || fail "scenario returned an error"; exit 1; }
    [[ -z $SCEN_FAILED ]]
  ) > >(tee "$SCEN_DIR/output.log") 2>&1 &
  # With job control on, the scenario's subshell leads its own process group.
  local pid=$!
  set +m
  local deadline=$(( ${EPOCHREALTIME%.*} + SCENARIO_TIMEOUT )) timed_out=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( ${EPOCHREALTIME%.*} >= deadline )); then
      timed_out=1
      hwsim_log "deadline of $SCENARIO_TIMEOUT s reached: stopping the scenario" | tee -a "$SCEN_DIR/output.log"
      # End the scenario's process group (its waits, API calls, the agent), by its id.
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

  # Clean-up, whatever happened: the agent first (its log records how it
  # saw the end), then the daemons and monitors; then keep the evidence.
  [[ -f $HWSIM_STATE/agent.pid ]] && AGENT_PID=$(cat "$HWSIM_STATE/agent.pid") && kiosk_stop_agent
  hwsim_stop_all
  scenario_collect

  local secs=$(( $(hwsim_ms_since "$started") / 1000 ))
  if ((rc == 0)); then
    echo "PASS $name (${secs} s)"
    PASSED+=("$name")
  else
    echo "FAIL $name (${secs} s): ${reason:-exit $rc}"
    FAILED+=("$name")
  fi
  echo "$name ${rc} ${secs} ${reason}" >>"$HWSIM_SHARE/results.txt"
}

PASSED=() FAILED=()
: >"$HWSIM_SHARE/results.txt"
for name in "${selected[@]}"; do run_one "$name"; done
echo "hwsim: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
((${#FAILED[@]} == 0))
