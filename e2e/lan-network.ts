import { execFileSync } from 'node:child_process';

export const LAN_NAMESPACE = 'wdk-e2e-lan';
/** The kiosk as seen from the LAN namespace. */
export const KIOSK_LAN_ADDRESS = '10.231.0.1';
/** The browser's address in that namespace. */
export const LAN_BROWSER_ADDRESS = '10.231.0.2';

function ip(...args: string[]) {
  execFileSync('ip', args, { stdio: 'pipe' });
}

export function canMakeLan(): boolean {
  return process.getuid?.() === 0;
}

/** A veth pair between this host (10.231.0.1) and a namespace playing a laptop on the LAN (10.231.0.2). */
export function createLan(): void {
  removeLan();
  ip('netns', 'add', LAN_NAMESPACE);
  ip('link', 'add', 'wdk-lan0', 'type', 'veth', 'peer', 'name', 'wdk-lan1');
  ip('link', 'set', 'wdk-lan1', 'netns', LAN_NAMESPACE);
  ip('addr', 'add', `${KIOSK_LAN_ADDRESS}/30`, 'dev', 'wdk-lan0');
  ip('link', 'set', 'wdk-lan0', 'up');
  ip('-n', LAN_NAMESPACE, 'addr', 'add', `${LAN_BROWSER_ADDRESS}/30`, 'dev', 'wdk-lan1');
  ip('-n', LAN_NAMESPACE, 'link', 'set', 'wdk-lan1', 'up');
  ip('-n', LAN_NAMESPACE, 'link', 'set', 'lo', 'up');
}

export function removeLan(): void {
  try {
    restoreLan('silent');
  } catch {
    // no blackhole route left behind
  }
  try {
    ip('link', 'del', 'wdk-lan0');
  } catch {
    // absent
  }
  try {
    ip('netns', 'del', LAN_NAMESPACE);
  } catch {
    // absent
  }
}

/**
 * How the LAN browser loses the kiosk: `link-down` pulls the cable (the host's end of the veth goes down, so
 * the browser's interface loses its carrier); `silent` keeps every link up and drops the kiosk's packets to
 * the browser (a blackhole route on the host), like a path broken further away that the browser cannot see.
 */
export type LanCut = 'link-down' | 'silent';

export function cutLan(how: LanCut): void {
  if (how === 'link-down') ip('link', 'set', 'wdk-lan0', 'down');
  else ip('route', 'add', 'blackhole', `${LAN_BROWSER_ADDRESS}/32`);
}

export function restoreLan(how: LanCut): void {
  if (how === 'link-down') ip('link', 'set', 'wdk-lan0', 'up');
  else ip('route', 'del', 'blackhole', `${LAN_BROWSER_ADDRESS}/32`);
}
