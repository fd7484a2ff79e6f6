import { describe, expect, it } from 'vitest'
import {
  assertHmacSignature,
  ChatwireError,
  digestsEqual,
  hmacSha256,
  matchHmacSignature,
  stringsEqual,
} from '../src/index.js'

const bytes = (value: number, length: number) => new Uint8Array(length).fill(value)
const ascii = (text: string) => new TextEncoder().encode(text)

// RFC 4231 section 4: HMAC-SHA-256 test cases 1-4, 6 and 7 (case 5 checks truncated output).
const rfc4231 = [
  {
    name: 'case 1',
    key: bytes(0x0b, 20),
    data: ascii('Hi There'),
    hex: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: 'case 2',
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    hex: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'case 3',
    key: bytes(0xaa, 20),
    data: bytes(0xdd, 50),
    hex: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: 'case 4',
    key: Uint8Array.from({ length: 25 }, (_, index) => index + 1),
    data: bytes(0xcd, 50),
    hex: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: 'case 6',
    key: bytes(0xaa, 131),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    hex: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: 'case 7',
    key: bytes(0xaa, 131),
    data: ascii(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    hex: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
]

// Slack's published example from "Verifying requests from Slack".
const slack = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
}

describe('hmacSha256', () => {
  it.each(rfc4231)('should match RFC 4231 $name', ({ key, data, hex }) => {
    expect(hmacSha256(key, data, 'hex')).toBe(hex)
  })

  it('should match RFC 4231 case 5 truncated to 128 bits', () => {
    expect(hmacSha256(bytes(0x0c, 20), ascii('Test With Truncation'), 'hex').slice(0, 32)).toBe(
      'a3b6167473100ee06e0c796c2955552b',
    )
  })

  it('should encode the same digest as base64', () => {
    const { key, data, hex } = rfc4231[0]!
    expect(hmacSha256(key, data, 'base64')).toBe(Buffer.from(hex, 'hex').toString('base64'))
  })

  it('should hash chunks as their concatenation', () => {
    expect(hmacSha256('k', ['ab', 'cd'], 'hex')).toBe(hmacSha256('k', 'abcd', 'hex'))
  })
})

describe('Slack signing example', () => {
  const signedBytes = ['v0:', slack.timestamp, ':', ascii(slack.body)]

  it('should verify through matchHmacSignature', () => {
    const signature = slack.signature.slice('v0='.length)
    expect(matchHmacSignature({ secrets: [slack.secret], signedBytes, signature, encoding: 'hex' })).toBe(0)
  })

  it('should produce the published signature', () => {
    expect(`v0=${hmacSha256(slack.secret, signedBytes, 'hex')}`).toBe(slack.signature)
  })

  it('should fail when one body byte changes', () => {
    const tampered = ['v0:', slack.timestamp, ':', ascii(slack.body.replace('foobar', 'foobaz'))]
    const signature = slack.signature.slice('v0='.length)
    expect(
      matchHmacSignature({ secrets: [slack.secret], signedBytes: tampered, signature, encoding: 'hex' }),
    ).toBe(-1)
  })
})

describe('digestsEqual', () => {
  const right = hmacSha256('secret', 'body', 'hex')

  it('should accept the same digest in any hex case', () => {
    expect(digestsEqual(right, right, 'hex')).toBe(true)
    expect(digestsEqual(right, right.toUpperCase(), 'hex')).toBe(true)
  })

  it.each([
    ['a prefix of the right digest', right.slice(0, 32)],
    ['a longer digest', `${right}00`],
    ['an odd-length value', right.slice(1)],
    ['non-hex characters', `${right.slice(0, 62)}zz`],
    ['an empty string', ''],
  ])('should return false without throwing for %s', (_case, received) => {
    expect(() => digestsEqual(right, received, 'hex')).not.toThrow()
    expect(digestsEqual(right, received, 'hex')).toBe(false)
  })

  it.each([undefined, null, 42, {}])('should return false for the non-string %s', (received) => {
    expect(digestsEqual(right, received, 'hex')).toBe(false)
  })

  it('should compare base64 digests and reject malformed base64', () => {
    const base64 = hmacSha256('secret', 'body', 'base64')
    expect(digestsEqual(base64, base64, 'base64')).toBe(true)
    expect(digestsEqual(base64, base64.slice(0, -4), 'base64')).toBe(false)
    expect(digestsEqual(base64, `${base64.slice(0, -1)}!`, 'base64')).toBe(false)
  })
})

describe('stringsEqual', () => {
  it('should compare tokens exactly', () => {
    expect(stringsEqual('meatyhamhock', 'meatyhamhock')).toBe(true)
    expect(stringsEqual('meatyhamhock', 'meatyhamhocK')).toBe(false)
    expect(stringsEqual('meatyhamhock', 'meaty')).toBe(false)
    expect(stringsEqual('meatyhamhock', undefined)).toBe(false)
  })
})

describe('matchHmacSignature', () => {
  const body = ascii('{"a":1}')

  it('should return the index of the rotated secret that matches', () => {
    const signature = hmacSha256('old-secret', body, 'hex')
    const index = matchHmacSignature({
      secrets: ['new-secret', 'old-secret'],
      signedBytes: body,
      signature,
      encoding: 'hex',
    })
    expect(index).toBe(1)
  })

  it('should return -1 without a signature', () => {
    expect(
      matchHmacSignature({ secrets: ['s'], signedBytes: body, signature: undefined, encoding: 'hex' }),
    ).toBe(-1)
  })
})

describe('assertHmacSignature', () => {
  const body = ascii('{"a":1}')
  const base = { signedBytes: body, encoding: 'hex' as const, header: 'x-signature' }

  function codeOf(run: () => void): string | undefined {
    try {
      run()
    } catch (error) {
      return error instanceof ChatwireError ? error.code : 'not a ChatwireError'
    }
    return undefined
  }

  it('should reject with no secret even when a signature is present', () => {
    const signature = hmacSha256('s', body, 'hex')
    expect(codeOf(() => assertHmacSignature({ ...base, secrets: [], signature }))).toBe(
      'CHATWIRE_ERR_SECRET_NOT_CONFIGURED',
    )
  })

  it('should reject a missing or empty signature', () => {
    expect(codeOf(() => assertHmacSignature({ ...base, secrets: ['s'], signature: undefined }))).toBe(
      'CHATWIRE_ERR_SIGNATURE_MISSING',
    )
    expect(codeOf(() => assertHmacSignature({ ...base, secrets: ['s'], signature: '' }))).toBe(
      'CHATWIRE_ERR_SIGNATURE_MISSING',
    )
  })

  it('should reject a wrong signature with status 401', () => {
    let caught: unknown
    try {
      assertHmacSignature({ ...base, secrets: ['s'], signature: hmacSha256('other', body, 'hex') })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ChatwireError)
    expect((caught as ChatwireError).code).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
    expect((caught as ChatwireError).statusCode).toBe(401)
  })

  it('should pass a right signature', () => {
    expect(
      codeOf(() => assertHmacSignature({ ...base, secrets: ['s'], signature: hmacSha256('s', body, 'hex') })),
    ).toBe(undefined)
  })
})
