import type { DelayRange } from './prng.js';

/**
 * How long things take on the air, in radio milliseconds (before the clock's time scale). Ranges come
 * from the hwsim captures (shared/hwsim/captures/*) and hostap's constants; the simulator picks a value
 * in each range with its seeded PRNG.
 */
export const RADIO_TIMINGS = {
  /** P2P_FIND → P2P-DEVICE-FOUND once both sides are on the air (captures: 1-5 s; README: 1-3 s). */
  discovery: { min: 1000, max: 3000 },
  /** Period of CTRL-EVENT-SCAN-STARTED while a find runs (captures: every 0.35-0.6 s). */
  scanPeriod: { min: 350, max: 600 },
  /** Provision Discovery request → response. */
  provisionDiscovery: { min: 100, max: 400 },
  /** GO Negotiation Request → Response → Confirm (capture: P2P_CONNECT 12.817 → GO-NEG-SUCCESS 13.070). */
  goNegotiation: { min: 150, max: 500 },
  /** P2P-FIND-STOPPED precedes GO-NEG-SUCCESS by this much (captures: 60-80 ms). */
  findStoppedLead: { min: 40, max: 90 },
  /** GO-NEG-SUCCESS → WPS done (captures: 0.6-1.8 s). */
  groupFormation: { min: 600, max: 1800 },
  /** WPS done → client's 4-way handshake done → AP-STA-CONNECTED (captures: 0.2-0.3 s). */
  stationAssociation: { min: 150, max: 300 },
  /** Wrong PIN: GO-NEG-SUCCESS → WPS-FAIL (capture: 28.278 → 29.217). */
  wpsFailure: { min: 700, max: 1200 },
  /** WPS-FAIL → P2P-GROUP-FORMATION-FAILURE: hostap depletes the formation timeout to 50 ms. */
  wpsFailureToRemoval: { min: 50, max: 60 },
  /** A client leaving (deauth) → AP-STA-DISCONNECTED. */
  stationLeave: { min: 20, max: 80 },
  /** Invitation Request → Response. */
  invitation: { min: 200, max: 600 },
  /** Join: Provision Discovery + scan for the GO + association before WPS (hwsim-like). */
  joinScan: { min: 500, max: 1500 },
  /** A phone deciding what to do next (taps, retransmission spacing). */
  phoneReaction: { min: 300, max: 700 },
} as const satisfies Record<string, DelayRange>;

/** Fixed protocol timeouts, each named after the hostap constant it models. */
export const PROTOCOL_TIMEOUTS = {
  /** p2p_go_neg_wait_timeout: how long a side that got status 1 waits for the peer to start (120 s). */
  goNegWait: 120_000,
  /** wpas_go_neg_completed() registers the group formation timeout at 15 s (+ peer config timeout). */
  groupFormation: 15_000,
  /** WPS PBC walk time (WPS_PBC_WALK_TIME, 120 s): then WPS-TIMEOUT on the AP side. */
  wpsWalkTime: 120_000,
  /** P2P_PEER_EXPIRATION_AGE (60 s), checked every P2P_EXPIRATION_INTERVAL-ish 10 s. */
  peerExpiration: 60_000,
  peerExpirationCheck: 10_000,
  /** hostapd ap_max_inactivity default (300 s): a station that vanished is dropped after it. */
  stationInactivity: 300_000,
  /** A kiosk-initiated GO negotiation towards a silent peer gives up after this (hostap: ~120 tries). */
  goNegNoResponse: 60_000,
  /** Provision Discovery without an answer: hostap retries then reports P2P-PROV-DISC-FAILURE status=1. */
  provisionDiscoveryNoResponse: 5_000,
} as const;
