import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start agents, simulators, daemons and child processes on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
