import { describe, expect, it } from 'vitest'
import { fullJitterDelay, retryDelay } from '../src/workers/backoff.js'
import { classifyFailure } from '../src/workers/failures.js'
import { ChatwireError } from '@chatwire/core'

const options = { initialDelayMs: 100, maxDelayMs: 1000 }

describe('fullJitterDelay', () => {
  it('should grow the ceiling exponentially up to the maximum', () => {
    const top = () => 0.999999
    expect(fullJitterDelay(1, options, top)).toBe(99)
    expect(fullJitterDelay(2, options, top)).toBe(199)
    expect(fullJitterDelay(4, options, top)).toBe(799)
    expect(fullJitterDelay(5, options, top)).toBe(999)
    expect(fullJitterDelay(500, options, top)).toBe(999)
  })

  it('should spread delays from zero', () => {
    expect(fullJitterDelay(3, options, () => 0)).toBe(0)
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(200)
  })
})

describe('retryDelay', () => {
  it('should never retry before Retry-After', () => {
    expect(retryDelay(1, options, 5000, () => 0.5)).toBe(5000)
    expect(retryDelay(4, options, 10, () => 0.5)).toBe(400)
  })
})

describe('classifyFailure', () => {
  it('should sort gRPC outages, permanent and transient failures', () => {
    expect(classifyFailure(new ChatwireError('CHATWIRE_ERR_GRPC_UNAVAILABLE', 'down'))).toBe('outage')
    expect(classifyFailure(new ChatwireError('CHATWIRE_ERR_GRPC_CIRCUIT_OPEN', 'open'))).toBe('outage')
    expect(classifyFailure(new ChatwireError('CHATWIRE_ERR_GRPC_NOT_FOUND', 'no tenant'))).toBe('permanent')
    expect(classifyFailure(new ChatwireError('CHATWIRE_ERR_SERVER_CHANNEL_UNKNOWN', 'x'))).toBe('permanent')
    expect(classifyFailure(new ChatwireError('CHATWIRE_ERR_STORE_BUSY', 'busy'))).toBe('transient')
    expect(classifyFailure(new Error('bug'))).toBe('transient')
  })
})
