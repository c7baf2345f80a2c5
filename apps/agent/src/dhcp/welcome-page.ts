import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { z } from 'zod';

import type { Logger } from '../logger.js';
import { ipv4ToNumber } from './group-addressing.js';

/**
 * An optional, tiny web page for phones connected to the group, on the kiosk's group address only: what this
 * kiosk is and how to disconnect. It is a separate node:http server with one static page, so nothing of the
 * operator UI or the API is reachable through it; the agent's own HTTP server keeps its login rules.
 */

export const welcomePageConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** Port 80 needs root or CAP_NET_BIND_SERVICE. */
  port: z.number().int().min(0).max(65535).default(80),
});
export type WelcomePageConfig = z.infer<typeof welcomePageConfigSchema>;

export interface WelcomePageContent {
  /** The kiosk's Wi-Fi Direct device name. */
  deviceName: string;
  /** The group's SSID as phones list it, `DIRECT-xy-<name>`, when known. */
  groupName: string | null;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Names come from the operator or the radio: escape them and drop control characters. */
function display(text: string): string {
  return escapeHtml(
    text
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, 200),
  );
}

/** The whole page, self-contained (inline style, no script, no external resource). */
export function renderWelcomePage({ deviceName, groupName }: WelcomePageContent): string {
  const name = display(deviceName) || 'this kiosk';
  const group = groupName ? display(groupName) : 'DIRECT-…';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:1.5rem;line-height:1.5;color:#1b1b1b;background:#f6f6f4}
main{max-width:32rem;margin:auto}
h1{font-size:1.5rem;margin:0 0 1rem}
code{font-size:1rem;background:#e8e8e4;padding:0 .25rem;border-radius:.25rem}
</style>
</head>
<body>
<main>
<h1>You are connected to ${name}</h1>
<p>This is a Wi-Fi Direct kiosk. Your device is linked straight to it over Wi-Fi Direct, without a router.
The link gives no internet access: your device keeps using its mobile data or usual Wi-Fi for that.</p>
<h2>How to disconnect</h2>
<p>Open your Wi-Fi Direct settings (on Android: Settings, Wi-Fi, Wi-Fi Direct), tap <code>${group}</code> and
choose Disconnect. Turning Wi-Fi off also ends the connection.</p>
</main>
</body>
</html>
`;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export interface WelcomePageOptions {
  logger: Logger;
  port?: number;
}

export class WelcomePage {
  private readonly log: Logger;
  private readonly port: number;
  private server: Server | null = null;
  private page = '';

  constructor(options: WelcomePageOptions) {
    this.log = options.logger.child({ component: 'welcome-page' });
    this.port = options.port ?? 80;
  }

  /** `http://<address>:<port>/` while serving. */
  get url(): string | null {
    const bound = this.server?.address();
    if (!bound || typeof bound === 'string') return null;
    const { address, port } = bound as AddressInfo;
    return port === 80 ? `http://${address}/` : `http://${address}:${port}/`;
  }

  /**
   * Serve the page on `address` (the kiosk's group address, already on the interface). Resolves false, with a
   * warning in the log, when it cannot listen (port taken, no CAP_NET_BIND_SERVICE): the page is optional.
   */
  async start(address: string, content: WelcomePageContent): Promise<boolean> {
    if (ipv4ToNumber(address) === null) throw new Error(`not an IPv4 address: ${address}`);
    await this.stop();
    this.page = renderWelcomePage(content);
    const server = createServer((request, response) => this.handle(request, response));
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    server.maxConnections = 32;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: this.port, host: address, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EACCES'
          ? `port ${this.port} needs root or CAP_NET_BIND_SERVICE`
          : code === 'EADDRINUSE'
            ? `port ${this.port} on ${address} is already in use`
            : code === 'EADDRNOTAVAIL'
              ? `${address} is not an address of this machine (group interface not addressed?)`
              : String(error);
      this.log.warn({ address, port: this.port, code }, `welcome page not served: ${why}`);
      return false;
    }
    server.on('error', (error) => this.log.warn({ err: error }, 'welcome page server error'));
    this.server = server;
    this.log.info({ url: this.url }, 'welcome page served');
    return true;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const pathname = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {
        ...SECURITY_HEADERS,
        allow: 'GET, HEAD',
        'content-type': 'text/plain; charset=utf-8',
      });
      response.end('method not allowed\n');
      return;
    }
    if (pathname !== '/' && pathname !== '/index.html') {
      response.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(this.page),
    });
    response.end(request.method === 'HEAD' ? undefined : this.page);
  }
}
