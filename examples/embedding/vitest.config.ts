import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'embedding',
    include: ['test/**/*.test.ts'],
  },
})
