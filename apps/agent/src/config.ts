import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Where the repository (and so prisma/migrations) lives: the nearest directory above this module that holds
 * prisma/migrations. This module runs from src/, dist/ and the bundle (dist/bundle/), each at its own depth.
 */
export const repoRoot = findRepoRoot(import.meta.dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..', '..');
  }
}

const port = z.coerce
  .number()
  .int()
  .min(0, 'must be 0 (any free port) to 65535')
  .max(65535, 'must be at most 65535');

/**
 * Process configuration of `wdk agent`. Precedence: command-line flag > environment variable (WDK_*) >
 * default. Operator settings (mode, PIN, timeouts…) live in the database instead, edited from the kiosk.
 */
export const agentConfigSchema = z.object({
  ctrlDir: z.string().min(1).default('/var/run/wpa_supplicant'),
  iface: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be a network interface name (1-15 of A-Z a-z 0-9 _ . -)')
    .default('p2p-dev-wlan0'),
  simulate: z.boolean().default(false),
  simHttpPort: port.optional(),
  simTimeScale: z.coerce.number().positive().max(100).default(1),
  db: z
    .string()
    .min(1)
    .default(`file:${path.join(repoRoot, 'data', 'wdk.db')}`),
  host: z.string().min(1).default('0.0.0.0'),
  port: port.default(8080),
  webOrigins: z.array(z.url()).default(['http://localhost:3000', 'http://127.0.0.1:3000']),
  trustProxy: z.boolean().default(false),
  /** Address the group interface and serve DHCP on it (needs CAP_NET_ADMIN); off on the simulator. */
  dhcp: z.boolean().optional(),
  /**
   * Serve the one-page welcome (dhcp/welcome-page.ts) on http://<the kiosk's group address>/ to connected
   * phones while a group lives (port 80: root or CAP_NET_BIND_SERVICE). Needs group addressing (dhcp).
   */
  welcomePage: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** The environment variable that sets each option when no flag does. */
export const envNames: Record<keyof AgentConfig, string> = {
  ctrlDir: 'WDK_CTRL_DIR',
  iface: 'WDK_IFACE',
  simulate: 'WDK_SIMULATE',
  simHttpPort: 'WDK_SIM_HTTP_PORT',
  simTimeScale: 'WDK_SIM_TIME_SCALE',
  db: 'DATABASE_URL',
  host: 'WDK_HOST',
  port: 'WDK_PORT',
  webOrigins: 'WDK_WEB_ORIGIN',
  trustProxy: 'WDK_TRUST_PROXY',
  dhcp: 'WDK_DHCP',
  welcomePage: 'WDK_WELCOME_PAGE',
  logLevel: 'WDK_LOG_LEVEL',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (key === 'simulate' || key === 'trustProxy' || key === 'dhcp' || key === 'welcomePage')
      out[key] = ['1', 'true', 'yes'].includes(value.toLowerCase());
    else if (key === 'webOrigins') out[key] = value.split(',').map((s) => s.trim());
    else out[key] = value;
  }
  return out;
}

/** Merge flags over environment over defaults; invalid values fail with the option and the rule. */
export function resolveAgentConfig(
  flags: Partial<Record<keyof AgentConfig, unknown>>,
  env = process.env,
): AgentConfig {
  const definedFlags = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = agentConfigSchema.safeParse({ ...fromEnvironment(env), ...definedFlags });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const env = envNames[key as keyof AgentConfig];
      return `  ${key}${env ? ` (--${kebab(key)} / ${env})` : ''}: ${issue.message}`;
    });
    throw new ConfigError(`invalid agent configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
