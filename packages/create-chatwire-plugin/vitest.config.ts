import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'create-chatwire-plugin',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
})
