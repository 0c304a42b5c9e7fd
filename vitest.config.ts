import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: CI machines here are shared and can be many times slower than a laptop.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
