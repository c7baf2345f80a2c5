import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The wdk-dgram addon the ctrl tests also run on (`turbo run test` does not build this package first).
    globalSetup: ['test/support/build-native.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
