import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ChatwireError, coreErrorCodes, createCoreError, errorCodesDocumentedIn } from '../src/index.js'

const BRAND = Symbol.for('chatwire.error')

describe('ChatwireError', () => {
  it('should keep code, status, details and cause', () => {
    const cause = new Error('disk full')
    const error = createCoreError('CHATWIRE_ERR_INTERNAL', 'store failed', {
      cause,
      details: { jobId: 'j1' },
    })
    expect(error.code).toBe('CHATWIRE_ERR_INTERNAL')
    expect(error.statusCode).toBe(500)
    expect(error.details).toEqual({ jobId: 'j1' })
    expect(error.cause).toBe(cause)
    expect(error.toJSON()).toEqual({
      code: 'CHATWIRE_ERR_INTERNAL',
      message: 'store failed',
      details: { jobId: 'j1' },
    })
  })

  it('should recognise an error from another copy of core by its brand', () => {
    const foreign = Object.assign(new Error('from another copy'), { code: 'CHATWIRE_ERR_X' })
    Object.defineProperty(foreign, BRAND, { value: true })
    expect(foreign).toBeInstanceOf(ChatwireError)
    expect(new Error('plain')).not.toBeInstanceOf(ChatwireError)
  })

  it('should keep instanceof exact for subclasses', () => {
    class StoreError extends ChatwireError {}
    const base = new ChatwireError('CHATWIRE_ERR_INTERNAL', 'base')
    expect(new StoreError('CHATWIRE_ERR_INTERNAL', 'sub')).toBeInstanceOf(StoreError)
    expect(base).not.toBeInstanceOf(StoreError)
  })

  it('should return coded errors unchanged from from()', () => {
    const coded = createCoreError('CHATWIRE_ERR_SIGNATURE_INVALID', 'bad')
    expect(ChatwireError.from(coded)).toBe(coded)
  })

  it('should wrap other values in from() and keep the cause', () => {
    const original = new TypeError('boom')
    const wrapped = ChatwireError.from(original, 'CHATWIRE_ERR_PLUGIN_FAILED', 500)
    expect(wrapped.code).toBe('CHATWIRE_ERR_PLUGIN_FAILED')
    expect(wrapped.statusCode).toBe(500)
    expect(wrapped.message).toBe('boom')
    expect(wrapped.cause).toBe(original)
    expect(ChatwireError.from('text').code).toBe('CHATWIRE_ERR_INTERNAL')
  })
})

describe('docs/errors.md', () => {
  const markdown = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
  const documented = errorCodesDocumentedIn(markdown, '@chatwire/core')
  const registered = new Set(Object.keys(coreErrorCodes))

  it('should document every core error code', () => {
    expect([...registered].filter((code) => !documented.has(code))).toEqual([])
  })

  it('should document no code that core does not have', () => {
    expect([...documented].filter((code) => !registered.has(code))).toEqual([])
  })

  it('should list the same HTTP status as the registry', () => {
    for (const line of markdown.split('\n')) {
      const match = /^\|\s*`(CHATWIRE_ERR_[A-Z0-9_]+)`\s*\|\s*([0-9-]+)\s*\|/.exec(line)
      const code = match?.[1] as keyof typeof coreErrorCodes | undefined
      if (code === undefined || !registered.has(code)) {
        continue
      }
      const entry: { statusCode?: number } = coreErrorCodes[code]
      expect(match?.[2], code).toBe(entry.statusCode === undefined ? '-' : String(entry.statusCode))
    }
  })
})
