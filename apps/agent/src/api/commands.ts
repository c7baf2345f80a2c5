import { z } from 'zod';
import type { KioskService } from '../kiosk-service.js';
import { ApiError } from './errors.js';
import { deviceName, label, pageQuery, peerAddress, peerPin, recordId } from './validators.js';

/** Who is asking: the touchscreen on the Pi itself (loopback) or a logged-in LAN user. */
export interface Caller {
  actor: string;
}

export interface CommandContext {
  kiosk: KioskService;
  caller: Caller;
}

interface CommandDefinition<I extends z.ZodType, O> {
  /** HTTP method and path; `:name` segments are read into the input. */
  http: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string };
  /** `public` commands need no login; every other one needs the kiosk itself or a logged-in user. */
  access: 'public' | 'operator';
  input: I;
  run(input: z.output<I>, context: CommandContext): Promise<O> | O;
}

function command<I extends z.ZodType, O>(definition: CommandDefinition<I, O>): CommandDefinition<I, O> {
  return definition;
}

const whitelistFields = z
  .object({
    address: peerAddress.nullish(),
    name: deviceName.nullish(),
    label: label.optional(),
  })
  .strict();

const settingsPatch = z.record(z.string(), z.unknown());

/**
 * The agent API: one table served by HTTP and socket.io alike, each input validated with zod before a
 * handler runs. Adding a command here exposes it on both transports with its access class.
 */
export const commands = {
  'state.get': command({
    http: { method: 'GET', path: '/api/state' },
    access: 'operator',
    input: z.object({}).strict(),
    run: (_input, { kiosk }) => kiosk.state(),
  }),
  'peers.list': command({
    http: { method: 'GET', path: '/api/peers' },
    access: 'operator',
    input: z.object({}).strict(),
    run: (_input, { kiosk }) => kiosk.peers(),
  }),
  'whitelist.list': command({
    http: { method: 'GET', path: '/api/whitelist' },
    access: 'operator',
    input: z.object({}).strict(),
    run: (_input, { kiosk }) => kiosk.whitelist.list(),
  }),
  'whitelist.add': command({
    http: { method: 'POST', path: '/api/whitelist' },
    access: 'operator',
    input: whitelistFields.refine((v) => v.address || v.name, {
      message: 'give an address, a name, or both',
      path: ['address'],
    }),
    run: (input, { kiosk, caller }) => kiosk.addToWhitelist(input, caller),
  }),
  'whitelist.update': command({
    http: { method: 'PATCH', path: '/api/whitelist/:id' },
    access: 'operator',
    input: whitelistFields.extend({ id: recordId }),
    run: ({ id, ...fields }, { kiosk, caller }) => kiosk.updateWhitelistEntry(id, fields, caller),
  }),
  'whitelist.remove': command({
    http: { method: 'DELETE', path: '/api/whitelist/:id' },
    access: 'operator',
    input: z.object({ id: recordId }).strict(),
    run: ({ id }, { kiosk, caller }) => kiosk.removeFromWhitelist(id, caller),
  }),
  'approvals.approve': command({
    http: { method: 'POST', path: '/api/approvals/:id/approve' },
    access: 'operator',
    input: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an approval id'),
        remember: z.boolean().default(false),
      })
      .strict(),
    run: ({ id, remember }, { kiosk, caller }) => kiosk.approve(id, remember, caller),
  }),
  'approvals.deny': command({
    http: { method: 'POST', path: '/api/approvals/:id/deny' },
    access: 'operator',
    input: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an approval id') }).strict(),
    run: ({ id }, { kiosk, caller }) => kiosk.deny(id, caller),
  }),
  'clients.kick': command({
    http: { method: 'POST', path: '/api/clients/:address/kick' },
    access: 'operator',
    input: z.object({ address: peerAddress }).strict(),
    run: ({ address }, { kiosk, caller }) => kiosk.kick(address, caller),
  }),
  'peer-pin.enter': command({
    http: { method: 'POST', path: '/api/peer-pin' },
    access: 'operator',
    input: z.object({ address: peerAddress, pin: peerPin }).strict(),
    run: ({ address, pin }, { kiosk, caller }) => kiosk.enterPeerPin(address, pin, caller),
  }),
  'discovery.set': command({
    http: { method: 'POST', path: '/api/discovery' },
    access: 'operator',
    input: z.object({ on: z.boolean() }).strict(),
    run: ({ on }, { kiosk, caller }) => kiosk.setDiscoverable(on, caller),
  }),
  'settings.get': command({
    http: { method: 'GET', path: '/api/settings' },
    access: 'operator',
    input: z.object({}).strict(),
    run: (_input, { kiosk }) => kiosk.settings(),
  }),
  'settings.update': command({
    http: { method: 'PUT', path: '/api/settings' },
    access: 'operator',
    input: settingsPatch,
    run: (patch, { kiosk, caller }) => kiosk.updateSettings(patch, caller),
  }),
  'sessions.list': command({
    http: { method: 'GET', path: '/api/sessions' },
    access: 'operator',
    input: z
      .object({
        ...pageQuery,
        peer: z.string().max(64).optional(),
        open: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
      })
      .strict(),
    run: (query, { kiosk }) => kiosk.history.listSessions(query),
  }),
  'events.list': command({
    http: { method: 'GET', path: '/api/events' },
    access: 'operator',
    input: z
      .object({
        ...pageQuery,
        type: z
          .string()
          .regex(/^[a-z-]{1,40}$/, 'must be an event type like connected')
          .optional(),
        peer: peerAddress.optional(),
      })
      .strict(),
    run: (query, { kiosk }) => kiosk.history.listEvents(query),
  }),
  'audit.list': command({
    http: { method: 'GET', path: '/api/audit' },
    access: 'operator',
    input: z.object({ ...pageQuery }).strict(),
    run: (query, { kiosk }) => kiosk.history.listAudit(query),
  }),
} as const;

export type CommandName = keyof typeof commands;
export type CommandOutput<N extends CommandName> = Awaited<ReturnType<(typeof commands)[N]['run']>>;

/** Validate and run one command; every failure becomes an ApiError with the field and the rule. */
export async function runCommand(name: string, rawInput: unknown, context: CommandContext): Promise<unknown> {
  const definition = (commands as Record<string, CommandDefinition<z.ZodType, unknown>>)[name];
  if (!definition) throw new ApiError('not-found', `unknown command '${name}'`);
  const parsed = definition.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    const message = issue
      ? issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}`
        : `${field ?? 'input'}: ${issue.message}`
      : 'invalid input';
    throw new ApiError(
      'bad-request',
      message,
      field ?? (issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined),
    );
  }
  return definition.run(parsed.data, context);
}

export function commandAccess(name: string): 'public' | 'operator' | undefined {
  return (commands as Record<string, { access: 'public' | 'operator' }>)[name]?.access;
}
