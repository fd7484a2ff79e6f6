import { readFileSync } from 'node:fs'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { storeErrorCodes } from '../src/index.js'

const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

describe('store error codes', () => {
  it('should match the section in docs/errors.md', () => {
    const documented = errorCodesDocumentedIn(errorsDoc, '@chatwire/store-sqlite')

    expect([...documented].sort()).toEqual(Object.keys(storeErrorCodes).sort())
  })

  it('should use the CHATWIRE_ERR_STORE_ prefix', () => {
    for (const code of Object.keys(storeErrorCodes)) {
      expect(code).toMatch(/^CHATWIRE_ERR_STORE_[A-Z_]+$/)
    }
  })
})
