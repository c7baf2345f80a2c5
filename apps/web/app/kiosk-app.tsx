'use client';

import { useEffect, useState } from 'react';
import { ApprovalOverlay } from '@/components/approval-overlay';
import { ConnectionBanner } from '@/components/connection-banner';
import { HistoryScreen } from '@/components/history-screen';
import { HomeScreen } from '@/components/home-screen';
import { LoginScreen } from '@/components/login-screen';
import { PeerPinKeypad } from '@/components/peer-pin-keypad';
import { SettingsScreen } from '@/components/settings-screen';
import { WhitelistScreen } from '@/components/whitelist-screen';
import { useAgent } from '@/lib/use-agent';

const screens = ['home', 'whitelist', 'history', 'settings'] as const;
type Screen = (typeof screens)[number];
const screenNames: Record<Screen, string> = {
  home: 'Home',
  whitelist: 'Whitelist',
  history: 'History',
  settings: 'Settings',
};

export function KioskApp({ agentPort }: { agentPort: number }) {
  const agent = useAgent(agentPort);
  const [screen, setScreen] = useState<Screen>('home');

  // Keep the screen in the URL hash so a reload (or the kiosk launcher) returns to it.
  useEffect(() => {
    const fromHash = window.location.hash.slice(1) as Screen;
    if (screens.includes(fromHash)) setScreen(fromHash);
  }, []);
  function go(next: Screen) {
    setScreen(next);
    window.history.replaceState(null, '', `#${next}`);
  }

  if (agent.authenticated === false && agent.link === 'connected') {
    return <LoginScreen baseUrl={agent.baseUrl} onLoggedIn={agent.refreshAuth} />;
  }

  const { state } = agent;
  return (
    <div className="flex min-h-screen flex-col">
      <ConnectionBanner link={agent.link} daemon={state?.daemon} />
      <header className="flex items-center gap-2 border-b border-slate-800 px-3 py-2">
        <h1 className="mr-auto truncate text-xl font-semibold">Wi-Fi Direct Kiosk</h1>
        <nav aria-label="Screens" className="flex gap-1">
          {screens.map((s) => (
            <button
              key={s}
              type="button"
              onClick={() => go(s)}
              aria-current={screen === s ? 'page' : undefined}
              className={`min-h-12 rounded-xl px-4 text-lg ${screen === s ? 'bg-sky-700 text-white' : 'text-slate-300 hover:bg-slate-800'}`}
            >
              {screenNames[s]}
            </button>
          ))}
        </nav>
      </header>
      <main className="flex-1 p-3">
        {!state ? (
          <p className="p-6 text-xl text-slate-400">Loading…</p>
        ) : screen === 'home' ? (
          <HomeScreen state={state} agent={agent} />
        ) : screen === 'whitelist' ? (
          agent.whitelist && <WhitelistScreen entries={agent.whitelist} peers={state.peers} agent={agent} />
        ) : screen === 'history' ? (
          <HistoryScreen agent={agent} />
        ) : (
          agent.settings && (
            <SettingsScreen key={JSON.stringify(agent.settings)} settings={agent.settings} agent={agent} />
          )
        )}
      </main>
      {state?.peerPinRequest && <PeerPinKeypad request={state.peerPinRequest} agent={agent} />}
      {state && state.pendingApprovals.length > 0 && (
        <ApprovalOverlay approvals={state.pendingApprovals} agent={agent} />
      )}
    </div>
  );
}
