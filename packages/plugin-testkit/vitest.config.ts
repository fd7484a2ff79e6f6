import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'plugin-testkit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
})
