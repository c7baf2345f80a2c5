/**
 * A whitelist entry matches by P2P device address, by exact device name, or both (both must match).
 * Android randomises its P2P device address unless a persistent group exists, so an address-only entry is
 * brittle; a name-only entry is spoofable by anyone who renames a phone (DESIGN.md, Protocol facts).
 */
export interface WhitelistEntry {
  readonly id: string;
  readonly address: string | null;
  readonly name: string | null;
}

export interface PeerIdentity {
  readonly address: string;
  readonly name: string;
}

function entryMatches(entry: WhitelistEntry, peer: PeerIdentity): boolean {
  if (entry.address === null && entry.name === null) return false;
  if (entry.address !== null && entry.address.toLowerCase() !== peer.address.toLowerCase()) return false;
  if (entry.name !== null && entry.name !== peer.name) return false;
  return true;
}

/** The first entry that admits the peer, or null. */
export function matchWhitelist(
  entries: readonly WhitelistEntry[],
  peer: PeerIdentity,
): WhitelistEntry | null {
  return entries.find((entry) => entryMatches(entry, peer)) ?? null;
}
