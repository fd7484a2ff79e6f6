import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { errorCodesDocumentedIn } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { serverErrorCodes } from '../src/error-codes.js'

const markdown = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8')
const section = '@chatwire/server'

describe('server error codes', () => {
  it('should document every registered code', () => {
    const documented = errorCodesDocumentedIn(markdown, section)
    const missing = Object.keys(serverErrorCodes).filter((code) => !documented.has(code))
    expect(missing).toEqual([])
  })

  it('should register every documented code', () => {
    const documented = [...errorCodesDocumentedIn(markdown, section)]
    const unknown = documented.filter((code) => !(code in serverErrorCodes))
    expect(unknown).toEqual([])
  })

  it('should document the status of each code', () => {
    for (const [code, entry] of Object.entries(serverErrorCodes) as [string, { statusCode?: number }][]) {
      const row = markdown.split('\n').find((line) => line.startsWith(`| \`${code}\``))
      const status = row?.split('|')[2]?.trim()
      expect(status, code).toBe(entry.statusCode === undefined ? '-' : String(entry.statusCode))
    }
  })
})
