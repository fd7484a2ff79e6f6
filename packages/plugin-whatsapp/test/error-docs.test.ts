import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { whatsappErrorCodes } from '../src/index.js'

const errorsDoc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'errors.md')

describe('docs/errors.md', () => {
  it('should document exactly the registered codes', async () => {
    const documented = errorCodesDocumentedIn(await readFile(errorsDoc, 'utf8'), '@chatwire/plugin-whatsapp')

    expect([...documented].sort()).toEqual(Object.keys(whatsappErrorCodes).sort())
  })

  it('should state the registered HTTP status of each code', async () => {
    const markdown = await readFile(errorsDoc, 'utf8')
    const section = markdown.split('\n## ').find((part) => part.startsWith('@chatwire/plugin-whatsapp\n'))
    expect(section).toBeDefined()

    for (const [code, entry] of Object.entries(whatsappErrorCodes)) {
      const row = section!.split('\n').find((line) => line.startsWith(`| \`${code}\``))
      const status = row?.split('|')[2]?.trim()
      expect(status, code).toBe('statusCode' in entry ? String(entry.statusCode) : '-')
    }
  })
})
