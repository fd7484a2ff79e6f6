import { describe, expect, it } from 'vitest'
import { normalizeHeaders, parseQuery } from '../src/index.js'

describe('parseQuery', () => {
  it('should keep the first value of a repeated name', () => {
    expect(parseQuery('?a=1&a=2&b=x')).toEqual({ a: '1', b: 'x' })
  })

  it('should keep names of built-in object members', () => {
    const query = parseQuery('constructor=a&toString=b&__proto__=c&hub.mode=subscribe')
    expect(query.constructor).toBe('a')
    expect(query.toString).toBe('b')
    expect(Object.hasOwn(query, '__proto__')).toBe(true)
    expect(query['hub.mode']).toBe('subscribe')
  })
})

describe('normalizeHeaders', () => {
  it('should lower-case names and join repeated values', () => {
    const headers = normalizeHeaders([
      ['X-Hub-Signature-256', 'sha256=ab'],
      ['Accept', ['a', 'b']],
      ['accept', 'c'],
      ['Skipped', undefined],
    ])
    expect({ ...headers }).toEqual({ 'x-hub-signature-256': 'sha256=ab', accept: 'a, b, c' })
  })

  it('should keep names of built-in object members', () => {
    const headers = normalizeHeaders([
      ['Constructor', 'x'],
      ['__proto__', 'y'],
    ])
    expect(headers.constructor).toBe('x')
    expect(Object.hasOwn(headers, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(headers)).toBe(null)
  })
})
