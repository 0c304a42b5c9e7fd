import { defineConfig } from 'vitest/config';

/** The domain's own tests: pure, no database, what mutation testing of src/domain runs. */
export default defineConfig({
  test: { include: ['src/domain/**/*.test.ts'] },
});
