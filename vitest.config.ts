import { defineConfig } from 'vitest/config'

// One run over every workspace package, so CI reads a single set of results.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
})
