import { readFile } from 'node:fs/promises'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { referenceEngineErrorCodes } from '../src/index.js'

describe('reference engine error registry', () => {
  it('should match its docs/errors.md section', async () => {
    const markdown = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

    const documented = errorCodesDocumentedIn(markdown, '@chatwire/reference-engine')

    expect([...documented].sort()).toEqual(Object.keys(referenceEngineErrorCodes).sort())
  })
})
