import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'plugin-telegram',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
})
