import type { AgentLink } from '@/lib/use-agent';

export function ConnectionBanner({
  link,
  daemon,
}: {
  link: AgentLink;
  daemon: 'connected' | 'disconnected' | undefined;
}) {
  if (link !== 'connected') {
    return (
      <div role="alert" className="bg-amber-500 px-4 py-2 text-center text-lg font-semibold text-slate-950">
        {link === 'connecting'
          ? 'Connecting to the kiosk agent…'
          : 'Connection to the kiosk agent lost — reconnecting…'}
      </div>
    );
  }
  if (daemon === 'disconnected') {
    return (
      <div role="alert" className="bg-rose-700 px-4 py-2 text-center text-lg font-semibold text-white">
        Wi-Fi Direct is unavailable (wpa_supplicant not reachable) — waiting for it to come back…
      </div>
    );
  }
  return null;
}
