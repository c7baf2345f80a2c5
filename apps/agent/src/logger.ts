import pino, { type Logger } from 'pino';

export type { Logger };

/** The agent's root logger; components take a child with their own `component` field. */
export function createLogger(
  level: string = process.env.WDK_LOG_LEVEL ?? 'info',
  /** Where the lines go: stdout by default; tests capture them to check that no secret is logged. */
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'wdk-agent' },
    // PINs and group passphrases must never reach a log line (DESIGN.md, Security).
    redact: {
      paths: ['pin', '*.pin', 'passphrase', '*.passphrase', 'passcode', '*.passcode'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
