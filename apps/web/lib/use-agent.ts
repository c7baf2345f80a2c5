'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ApiResult, DomainEvent, KioskState, Settings, WhitelistEntry } from './types';

export type AgentLink = 'connecting' | 'connected' | 'reconnecting';

export interface AgentConnection {
  link: AgentLink;
  authenticated: boolean | null;
  isKiosk: boolean;
  state: KioskState | null;
  whitelist: WhitelistEntry[] | null;
  settings: Settings | null;
  liveEvents: DomainEvent[];
  /** Counts the (re)connections that brought the full state: screens that load lists reload on a change. */
  syncs: number;
  baseUrl: string;
  command<T>(name: string, input?: unknown): Promise<ApiResult<T>>;
  refreshAuth(): void;
}

const LIVE_EVENT_LIMIT = 100;

/**
 * One socket.io link to the agent: full state on connect, then pushes; commands with acknowledgements.
 * socket.io reconnects by itself; the UI shows "reconnecting" meanwhile and the state it gets back.
 */
export function useAgent(agentPort: number): AgentConnection {
  const [link, setLink] = useState<AgentLink>('connecting');
  const [authenticated, setAuthenticated] = useState<boolean | null>(null);
  const [isKiosk, setIsKiosk] = useState(false);
  const [state, setState] = useState<KioskState | null>(null);
  const [whitelist, setWhitelist] = useState<WhitelistEntry[] | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [liveEvents, setLiveEvents] = useState<DomainEvent[]>([]);
  const [syncs, setSyncs] = useState(0);
  const [generation, setGeneration] = useState(0);
  const socketRef = useRef<Socket | null>(null);
  const [baseUrl, setBaseUrl] = useState('');

  useEffect(() => {
    const url = `${window.location.protocol}//${window.location.hostname}:${agentPort}`;
    setBaseUrl(url);
    const socket = io(url, {
      withCredentials: true,
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 2000,
    });
    socketRef.current = socket;
    socket.on('connect', () => setLink('connected'));
    socket.on('disconnect', () => setLink('reconnecting'));
    socket.io.on('reconnect_attempt', () => setLink('reconnecting'));
    socket.on('hello', (hello: { authenticated: boolean; kiosk: boolean }) => {
      setAuthenticated(hello.authenticated);
      setIsKiosk(hello.kiosk);
      if (hello.authenticated) {
        // Pushes sent while the link was down are lost: everything is read again after each connect.
        setSyncs((n) => n + 1);
        socket.emit(
          'command',
          { name: 'whitelist.list' },
          (r: ApiResult<WhitelistEntry[]>) => r.status === 'ok' && setWhitelist(r.data),
        );
        socket.emit(
          'command',
          { name: 'settings.get' },
          (r: ApiResult<Settings>) => r.status === 'ok' && setSettings(r.data),
        );
      }
    });
    socket.on('state', (next: KioskState) => setState(next));
    socket.on('whitelist', (entries: WhitelistEntry[]) => setWhitelist(entries));
    socket.on('settings', (next: Settings) => setSettings(next));
    socket.on('domain-event', (event: DomainEvent) =>
      setLiveEvents((events) => [event, ...events].slice(0, LIVE_EVENT_LIMIT)),
    );
    return () => {
      socket.close();
      socketRef.current = null;
    };
  }, [agentPort, generation]);

  const command = useCallback(<T>(name: string, input?: unknown) => {
    return new Promise<ApiResult<T>>((resolve) => {
      const socket = socketRef.current;
      if (!socket?.connected) {
        resolve({ status: 'error', error: { code: 'unavailable', message: 'not connected to the agent' } });
        return;
      }
      socket.timeout(10_000).emit('command', { name, input }, (err: Error | null, result: ApiResult<T>) => {
        resolve(
          err
            ? { status: 'error', error: { code: 'unavailable', message: 'the agent did not answer' } }
            : result,
        );
      });
    });
  }, []);

  // After a login the cookie exists: reconnect so the socket is authenticated.
  const refreshAuth = useCallback(() => setGeneration((g) => g + 1), []);

  return {
    link,
    authenticated,
    isKiosk,
    state,
    whitelist,
    settings,
    liveEvents,
    syncs,
    baseUrl,
    command,
    refreshAuth,
  };
}
