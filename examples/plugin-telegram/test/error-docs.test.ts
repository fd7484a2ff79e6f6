import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { telegramErrorCodes } from '../src/index.js'

const errorsDoc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'errors.md')

describe('docs/errors.md', () => {
  it('documents exactly the registered codes', async () => {
    const markdown = await readFile(errorsDoc, 'utf8')
    const documented = errorCodesDocumentedIn(markdown, '@chatwire-examples/plugin-telegram')

    expect([...documented].sort()).toEqual(Object.keys(telegramErrorCodes).sort())
  })
})
