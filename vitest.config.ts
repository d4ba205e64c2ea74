import { defineConfig } from 'vitest/config';

/** Tests print nothing; the JSON report feeds the summary line that `.ci/run` prints. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/silent-console.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/report.json' }]],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
