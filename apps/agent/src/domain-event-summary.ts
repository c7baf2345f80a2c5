import type { DomainEvent } from '@wdk/core';

/** One line of the kiosk's event log. Peer names are quoted as JSON so control characters stay visible. */
export function summarizeDomainEvent(event: DomainEvent): string {
  const who = 'address' in event ? `${JSON.stringify(event.name || 'unnamed')} (${event.address})` : '';
  switch (event.type) {
    case 'peer-seen':
      return `${who} seen nearby`;
    case 'request':
      return `${who} asks to connect by ${event.method} (${event.via})`;
    case 'approval-pending':
      return `${who} waits for approval`;
    case 'approved':
      return `${who} approved${event.remember ? ' and remembered' : ''}`;
    case 'denied':
      return `${who} refused: ${event.reason}`;
    case 'approval-expired':
      return `${who} not approved in time`;
    case 'peer-pin-requested':
      return `${who} displays a PIN to type on the kiosk`;
    case 'connecting':
      return `${who} connecting by ${event.method}`;
    case 'connected':
      return `${who} connected`;
    case 'disconnected':
      return `${who} disconnected (${event.reason})`;
    case 'failed':
      return `${who} failed: ${event.message}`;
    case 'group-started':
      return `group ${event.ifname} started (${JSON.stringify(event.ssid)}${event.freq ? `, ${event.freq} MHz` : ''})`;
    case 'group-removed':
      return `group ${event.ifname} removed (${event.reason})`;
    case 'pin-rotated':
      return 'new PIN shown';
    case 'discoverable-changed':
      return event.discoverable ? 'discoverable' : 'not discoverable';
    case 'daemon-lost':
      return 'wpa_supplicant went away';
    case 'daemon-back':
      return 'wpa_supplicant is back';
    case 'error':
      return `${event.code}: ${event.message}`;
  }
}

export function peerAddressOf(event: DomainEvent): string | null {
  return 'address' in event ? event.address : null;
}
