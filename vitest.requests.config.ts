import { defineConfig } from 'vitest/config';

/** The request use cases' own tests, on PGlite: what mutation testing of src/app/requests runs. */
export default defineConfig({
  test: {
    include: [
      'test/app/request-*.test.ts',
      'test/web/fulfilment.test.ts',
      'test/web/replacement.test.ts',
      'test/web/courier.test.ts',
      'test/web/pickup.test.ts',
      'test/web/logistics.test.ts',
      'test/web/esim-smdp.test.ts',
      'test/web/frozen-requests.test.ts',
      'test/web/review.test.ts',
      'test/web/carrier.test.ts',
      'test/web/payments.test.ts',
      'test/security/use-case-roles.test.ts',
      'test/security/sim-change-lock.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
