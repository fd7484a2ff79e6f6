import { describe, expect, it } from 'vitest'
import { assertWithinReplayWindow, ChatwireError, fixedClock, isWithinReplayWindow } from '../src/index.js'

const now = 1_531_420_618
const clock = fixedClock(now * 1000)
const options = { toleranceSeconds: 300, clock, header: 'x-slack-request-timestamp' }

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return error instanceof ChatwireError ? error.code : 'not a ChatwireError'
  }
  return undefined
}

describe('isWithinReplayWindow', () => {
  it.each([
    ['now', now, true],
    ['at the past edge', now - 300, true],
    ['at the future edge', now + 300, true],
    ['one second too old', now - 301, false],
    ['one second too far ahead', now + 301, false],
    ['not a number', Number.NaN, false],
  ])('should decide %s', (_case, timestamp, expected) => {
    expect(isWithinReplayWindow(timestamp, options)).toBe(expected)
  })
})

describe('assertWithinReplayWindow', () => {
  it('should return the parsed timestamp when fresh', () => {
    expect(assertWithinReplayWindow(String(now - 10), options)).toBe(now - 10)
  })

  it('should reject stale timestamps in both directions', () => {
    expect(codeOf(() => assertWithinReplayWindow(String(now - 301), options))).toBe(
      'CHATWIRE_ERR_TIMESTAMP_STALE',
    )
    expect(codeOf(() => assertWithinReplayWindow(String(now + 301), options))).toBe(
      'CHATWIRE_ERR_TIMESTAMP_STALE',
    )
  })

  it.each([undefined, '', 'abc', '1531420618.5', '-5', '1e9'])(
    'should reject the malformed value %s',
    (value) => {
      expect(codeOf(() => assertWithinReplayWindow(value, options))).toBe('CHATWIRE_ERR_TIMESTAMP_INVALID')
    },
  )

  it('should name the header and both times in the message', () => {
    let message = ''
    try {
      assertWithinReplayWindow(String(now - 1000), options)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('x-slack-request-timestamp')
    expect(message).toContain(String(now - 1000))
    expect(message).toContain(String(now))
  })
})
