'use client';

import { useState } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { KioskState } from '@/lib/types';
import { Button, PeerName, TakeoverDialog } from './ui';

/** The peer displays its own PIN (P2P-PROV-DISC-ENTER-PIN): the operator types it on a touch keypad. */
export function PeerPinKeypad({
  request,
  agent,
}: {
  request: NonNullable<KioskState['peerPinRequest']>;
  agent: AgentConnection;
}) {
  const [digits, setDigits] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    const result = await agent.command('peer-pin.enter', { address: request.address, pin: digits });
    if (result.status === 'ok') setDigits('');
    setError(result.status === 'ok' ? null : result.error.message);
  }

  return (
    <TakeoverDialog title="Type the PIN shown on the device" accent="violet">
      <PeerName name={request.name} address={request.address} />
      <output
        aria-label="Typed PIN"
        className="block h-14 rounded-xl bg-slate-800 text-center font-mono text-4xl leading-[3.5rem] tracking-widest"
      >
        {digits || '\u00a0'}
      </output>
      <div className="grid grid-cols-3 gap-2">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <Button
            key={d}
            onClick={() => setDigits((v) => (v.length < 8 ? v + d : v))}
            aria-label={`Digit ${d}`}
          >
            {d}
          </Button>
        ))}
        <Button onClick={() => setDigits((v) => v.slice(0, -1))} aria-label="Delete digit">
          ⌫
        </Button>
        <Button onClick={() => setDigits((v) => (v.length < 8 ? `${v}0` : v))} aria-label="Digit 0">
          0
        </Button>
        <Button
          tone="success"
          disabled={digits.length !== 8 && digits.length !== 4}
          onClick={() => void submit()}
        >
          Connect
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-rose-300">
          {error}
        </p>
      )}
    </TakeoverDialog>
  );
}
