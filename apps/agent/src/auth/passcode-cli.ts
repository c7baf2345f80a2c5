import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { repoRoot } from '../config.js';
import { applyPendingMigrations } from '../db/migrate.js';
import { openDatabase } from '../db/prisma.js';
import { SettingsStore } from '../store/settings-store.js';
import { AuthService } from './auth-service.js';
import { isAcceptablePasscode, passcodeRule } from './passcode.js';

/** `wdk passcode set`: reads the new passcode twice (or once from a pipe) and stores its hash. */
export async function setPasscodeInteractively(databaseUrl: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const first = (await rl.question('New admin passcode: ')).trim();
  const second = process.stdin.isTTY ? (await rl.question('Again: ')).trim() : first;
  rl.close();
  if (first !== second) throw new Error('the two passcodes differ');
  if (!isAcceptablePasscode(first)) throw new Error(`the passcode ${passcodeRule}`);
  await applyPendingMigrations({ databaseUrl, migrationsDir: path.join(repoRoot, 'prisma', 'migrations') });
  const db = openDatabase(databaseUrl);
  try {
    await new AuthService(new SettingsStore(db)).setPasscode(first);
    console.log('passcode changed; LAN browsers must log in again after the agent restarts');
  } finally {
    await db.$disconnect();
  }
}
