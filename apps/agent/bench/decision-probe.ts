/**
 * The simulator side of the decision-latency benchmark: a whitelisted phone asks by GO negotiation
 * (P2P-GO-NEG-REQUEST dev_passwd_id=4) and the time until the agent's P2P_CONNECT reaches the simulator's
 * socket is taken with process.hrtime.bigint() (one monotonic clock for every thread and process):
 * - start: Simulator.onEvent for P2P-GO-NEG-REQUEST, which fires right after the datagram went to the
 *   kernel (SimServer.broadcast sends, then the event is announced);
 * - end: the simulator's socket handing P2P_CONNECT to its model (P2pModel.connect, wrapped here), in the same
 *   callback that read the datagram.
 * Between requests the phone leaves and the agent removes the empty group (idleGraceMs 0), so every request
 * is a fresh negotiation and never a join.
 */
import type { Simulator } from '@wdk/core';

/** One request's two instants at the simulator's socket (process.hrtime.bigint(), ns, as decimal strings). */
export interface DecisionStamps {
  /** P2P-GO-NEG-REQUEST sent. */
  sentAt: string;
  /** P2P_CONNECT read. */
  arrivedAt: string;
}

export interface DecisionProbe {
  /** One request: the phone negotiates, connects, leaves; resolves with the two instants. */
  cycle(): Promise<DecisionStamps>;
}

export function decisionProbe(sim: Simulator, address: string): DecisionProbe {
  let requestSentAt: bigint | null = null;
  let decided: ((stamps: DecisionStamps) => void) | null = null;
  sim.onEvent((record) => {
    if (record.text.startsWith('P2P-GO-NEG-REQUEST ')) requestSentAt = process.hrtime.bigint();
  });
  const model = sim.model;
  const connect = model.connect.bind(model);
  model.connect = (request) => {
    const arrived = process.hrtime.bigint();
    if (requestSentAt !== null && decided !== null)
      decided({ sentAt: String(requestSentAt), arrivedAt: String(arrived) });
    requestSentAt = null;
    decided = null;
    return connect(request);
  };

  return {
    async cycle() {
      const latency = new Promise<DecisionStamps>((resolve) => (decided = resolve));
      const phone = sim.addPhone({
        name: 'Bench phone',
        address,
        steps: [{ do: 'connect', method: 'pbc' }, { do: 'waitFor', what: 'connected' }, { do: 'leave' }],
      });
      const stamps = await withTimeout(latency, 10_000, 'no P2P_CONNECT reached the simulator');
      await withTimeout(phone.idle(), 10_000, 'the phone did not finish its script');
      const failure = phone.snapshot().failure;
      if (failure) throw new Error(`the phone failed: ${JSON.stringify(failure)}`);
      sim.removePhone(phone.id);
      await until(
        () => sim.snapshot().kiosk.groups.length === 0,
        10_000,
        'the agent did not remove the group',
      ).catch((error: unknown) => {
        const recent = sim
          .events()
          .filter((record) => !record.text.startsWith('CTRL-EVENT-SCAN-STARTED'))
          .slice(-20)
          .map((record) => `${record.at} ${record.ifname} ${record.text}`);
        throw new Error(`${String(error)}; the simulator's last events:\n${recent.join('\n')}`);
      });
      return stamps;
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
