/**
 * Scenario files: JSON describing a simulator run (kiosk identity, timing, phones and faults at given
 * radio times), validated with zod. Example:
 *
 * { "seed": 7, "timeScale": 1,
 *   "phones": [{ "at": 2000, "preset": "android-pbc", "name": "Pixel 7" }],
 *   "faults": [{ "at": 30000, "fault": { "kind": "ebusy" } }] }
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { faultSchema } from './faults.js';
import { phoneRequestSchema, type PhoneRequest } from './phone-script.js';

const at = z.number().int().nonnegative().default(0);

export const scenarioSchema = z.object({
  seed: z.number().int().optional(),
  timeScale: z.number().positive().optional(),
  kiosk: z
    .object({
      iface: z.string().min(1).optional(),
      deviceName: z.string().min(1).max(32).optional(),
      deviceAddress: z
        .string()
        .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/)
        .optional(),
      scanEvents: z.boolean().optional(),
      settings: z.record(z.string(), z.string()).optional(),
    })
    .default({}),
  phones: z.array(phoneRequestSchema.extend({ at })).default([]),
  faults: z.array(z.object({ at, fault: faultSchema })).default([]),
});

export type Scenario = Omit<z.infer<typeof scenarioSchema>, 'phones'> & {
  readonly phones: readonly (PhoneRequest & { readonly at: number })[];
};
export type ScenarioInput = z.input<typeof scenarioSchema>;

export function parseScenario(json: unknown): Scenario {
  return scenarioSchema.parse(json) as Scenario;
}

export async function loadScenario(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  return parseScenario(JSON.parse(text) as unknown);
}
