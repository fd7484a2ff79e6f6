import { defineConfig } from 'vitest/config'

// One run over every workspace package, so CI reads a single set of results. When
// CHATWIRE_TEST_RESULTS names a file, the JSON reporter also writes the counts there.
const resultsFile = process.env.CHATWIRE_TEST_RESULTS

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
    reporters: resultsFile === undefined ? ['default'] : ['default', ['json', { outputFile: resultsFile }]],
  },
})
