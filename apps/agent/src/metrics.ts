import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one agent. Never labelled with PINs, passphrases or device names. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wdk_' });
  return {
    registry,
    connections: new Counter({
      name: 'wdk_connections_total',
      help: 'Phones connected',
      registers: [registry],
    }),
    failures: new Counter({
      name: 'wdk_connection_failures_total',
      help: 'Connection attempts that failed, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    approvals: new Counter({
      name: 'wdk_approvals_total',
      help: 'Push-button approvals, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: 'wdk_domain_events_total',
      help: 'Domain events, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    controlRoundTrip: new Histogram({
      name: 'wdk_control_round_trip_seconds',
      help: 'wpa_supplicant control request round trip',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
