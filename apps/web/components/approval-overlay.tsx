'use client';

import { useEffect, useState } from 'react';
import type { AgentConnection } from '@/lib/use-agent';
import type { KioskState } from '@/lib/types';
import { Button, PeerName, TakeoverDialog } from './ui';

/** A push-button request from an unknown device takes over the screen; further requests queue behind it. */
export function ApprovalOverlay({
  approvals,
  agent,
}: {
  approvals: KioskState['pendingApprovals'];
  agent: AgentConnection;
}) {
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const request = approvals[0];
  if (!request) return null;
  const secondsLeft = Math.max(0, Math.ceil((request.expiresAt - now) / 1000));

  async function answer(name: 'approvals.approve' | 'approvals.deny', input: object) {
    const result = await agent.command(name, input);
    setError(result.status === 'ok' ? null : result.error.message);
  }

  return (
    <TakeoverDialog title="A device asks to connect" accent="sky" wide>
      <PeerName name={request.name} address={request.address} />
      <p className="text-lg text-slate-300">
        Automatic deny in{' '}
        <span data-testid="approval-countdown" className="font-mono tabular-nums">
          {secondsLeft}
        </span>{' '}
        s{approvals.length > 1 && <span> · {approvals.length - 1} more waiting</span>}
      </p>
      <div className="grid grid-cols-3 gap-3">
        <Button tone="success" onClick={() => void answer('approvals.approve', { id: request.id })}>
          Approve
        </Button>
        <Button
          tone="primary"
          onClick={() => void answer('approvals.approve', { id: request.id, remember: true })}
        >
          Approve and remember
        </Button>
        <Button tone="danger" onClick={() => void answer('approvals.deny', { id: request.id })}>
          Deny
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
