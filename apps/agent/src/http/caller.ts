import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'wdk_session';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The touchscreen's browser runs on the Pi itself and reaches the agent over loopback: it is trusted
 * (DESIGN.md, Security). `clientAddress` is the TCP peer, or the X-Forwarded-For hop only when the operator
 * configured a trusted proxy.
 */
export function isKioskAddress(clientAddress: string | undefined): boolean {
  return clientAddress !== undefined && LOOPBACK.has(clientAddress);
}

export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed %-escape (`wdk_session=%E0%A4%A`) is no session, not a 500 or a thrown socket.io handler.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * CSRF and cross-origin guard: a browser request from another site is refused. The kiosk web app is on the
 * same host as the agent (another port), so the Origin's host must equal the Host header's host, or be
 * one of the configured web origins.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  webOrigins: string[],
): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, server-side fetch)
  if (webOrigins.includes(origin)) return true;
  try {
    const originHost = new URL(origin).hostname;
    const host = hostHeader ? new URL(`http://${hostHeader}`).hostname : undefined;
    return host !== undefined && originHost === host;
  } catch {
    return false;
  }
}
