import { readFile } from 'node:fs/promises'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { grpcErrorCodes } from '../src/index.js'

describe('grpc-clients error registry', () => {
  it('should match its docs/errors.md section', async () => {
    const markdown = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

    const documented = errorCodesDocumentedIn(markdown, '@chatwire/grpc-clients')

    expect([...documented].sort()).toEqual(Object.keys(grpcErrorCodes).sort())
  })

  it('should list the HTTP status of each code as documented', async () => {
    const markdown = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

    for (const [code, entry] of Object.entries(grpcErrorCodes)) {
      const row = markdown.split('\n').find((line) => line.startsWith(`| \`${code}\` |`))
      const status = row?.split('|')[2]?.trim()
      expect(status, code).toBe('statusCode' in entry ? String(entry.statusCode) : '-')
    }
  })
})
