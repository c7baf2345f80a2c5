'use client';

import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';

export function KioskApp({ agentPort }: { agentPort: number }) {
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const url = `${window.location.protocol}//${window.location.hostname}:${agentPort}`;
    const socket = io(url, { withCredentials: true, transports: ['websocket', 'polling'] });
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    return () => {
      socket.close();
    };
  }, [agentPort]);

  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 p-6">
      <h1 className="text-4xl font-semibold">Wi-Fi Direct Kiosk</h1>
      <p role="status" className={connected ? 'text-emerald-400' : 'text-amber-400'}>
        {connected ? 'Agent connected' : 'Connecting to the agent…'}
      </p>
    </main>
  );
}
