import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CORE_API_VERSION } from '../src/index.js'

describe('CORE_API_VERSION', () => {
  it('should equal the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(CORE_API_VERSION).toBe(manifest.version)
  })
})
