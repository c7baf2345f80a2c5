/**
 * The simulator in a process of its own, as wpa_supplicant is: it reads its sockets while the agent's event
 * loop is busy. simProcess() forks this file; the child runs the Simulator and the decision probe and answers
 * 'cycle' with the request's two instants (process.hrtime.bigint() is CLOCK_MONOTONIC: one clock for both
 * processes).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Simulator } from '@wdk/core';
import { decisionProbe, type DecisionStamps } from './decision-probe.js';

interface SimProcessOptions {
  ctrlDir: string;
  timeScale: number;
  address: string;
}

type Reply = DecisionStamps | { error: string } | 'ready' | 'stopped';

/** Forks the simulator process and resolves once its sockets are bound. */
export async function simProcess(
  options: SimProcessOptions,
): Promise<{ cycle(): Promise<DecisionStamps>; stop(): Promise<void> }> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: ((reply: Reply) => void)[] = [];
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`the simulator exited (${signal ?? code})`))),
  );
  exited.catch(() => undefined);
  child.on('message', (reply: Reply) => replies.shift()?.(reply));
  const ask = (message: 'cycle' | 'stop' | null): Promise<Reply> => {
    const reply = new Promise<Reply>((resolve) => replies.push(resolve));
    if (message !== null) child.send(message);
    return Promise.race([reply, exited]);
  };
  await ask(null); // 'ready'
  return {
    async cycle() {
      const reply = await ask('cycle');
      if (typeof reply === 'object' && 'sentAt' in reply) return reply;
      throw new Error(typeof reply === 'object' ? reply.error : `unexpected reply ${reply}`);
    },
    async stop() {
      await ask('stop');
      child.disconnect();
    },
  };
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  const { ctrlDir, timeScale, address } = JSON.parse(process.argv[2] ?? '{}') as SimProcessOptions;
  // No CTRL-EVENT-SCAN-STARTED: at a time scale of 0.01 a find would send them a hundred times as often as a
  // real radio does (every 3.5-6 ms instead of 0.35-0.6 s), a load the agent never meets.
  const sim = new Simulator({ ctrlDir, timeScale, scanEvents: false });
  await sim.start();
  const probe = decisionProbe(sim, address);
  // The benchmark died or is done: do not linger with the radio's timers running.
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
  process.on('message', (message: 'cycle' | 'stop') => {
    if (message === 'stop') {
      void sim.stop().then(() => send('stopped'));
      return;
    }
    probe.cycle().then(
      (stamps) => send(stamps),
      (error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  send('ready');
}
