import { assertHmacSignature, hmacSha256 } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import {
  createStandardWebhooksSecret,
  signBase64Hmac,
  signMetaSha256,
  signSlackV0,
  signStandardWebhook,
  standardWebhooksKey,
} from '../src/index.js'

describe('signSlackV0', () => {
  // Signing secret, timestamp, body and signature from Slack's "Verifying requests from Slack" page.
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'

  it('matches the published test vector', () => {
    const headers = signSlackV0(body, '8f742231b10e8888abcd99yyyzzz85a5', { timestamp: 1531420618 })

    expect(headers['x-slack-signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    )
    expect(headers['x-slack-request-timestamp']).toBe('1531420618')
  })

  it('defaults the timestamp to now', () => {
    const before = Math.floor(Date.now() / 1000)
    const timestamp = Number(signSlackV0('{}', 'secret')['x-slack-request-timestamp'])

    expect(timestamp).toBeGreaterThanOrEqual(before)
    expect(timestamp).toBeLessThanOrEqual(before + 1)
  })
})

describe('signMetaSha256', () => {
  it('passes core verification of the raw bytes', () => {
    const body = new TextEncoder().encode('{"object":"whatsapp_business_account","entry":[]}')
    const header = signMetaSha256(body, 'app-secret')['x-hub-signature-256'] ?? ''

    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(() =>
      assertHmacSignature({
        secrets: ['app-secret'],
        signedBytes: body,
        signature: header.slice('sha256='.length),
        encoding: 'hex',
        header: 'x-hub-signature-256',
      }),
    ).not.toThrow()
  })
})

describe('signBase64Hmac', () => {
  it('decodes a base64 key and adds the prefix', () => {
    const key = Buffer.from('teams-shared-secret').toString('base64')
    const headers = signBase64Hmac('{"type":"message"}', key, { prefix: 'HMAC ', keyEncoding: 'base64' })
    const expected = hmacSha256(Buffer.from('teams-shared-secret'), '{"type":"message"}', 'base64')

    expect(headers.authorization).toBe(`HMAC ${expected}`)
  })

  it('uses the secret as UTF-8 under a custom header', () => {
    const headers = signBase64Hmac('body', 'shpss_secret', { header: 'X-Shopify-Hmac-Sha256' })

    expect(headers['x-shopify-hmac-sha256']).toBe(hmacSha256('shpss_secret', 'body', 'base64'))
  })
})

describe('signStandardWebhook', () => {
  // The example vector of the Standard Webhooks reference libraries.
  it('matches the reference vector', () => {
    const headers = signStandardWebhook('{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
    })

    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
  })

  it('creates secrets whose key is 24 random bytes', () => {
    const secret = createStandardWebhooksSecret()

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(standardWebhooksKey(secret).byteLength).toBe(24)
    expect(createStandardWebhooksSecret()).not.toBe(secret)
  })

  it('gives a fresh id per call unless one is given', () => {
    const first = signStandardWebhook('{}', createStandardWebhooksSecret())['webhook-id']
    const second = signStandardWebhook('{}', createStandardWebhooksSecret())['webhook-id']

    expect(first).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(second).not.toBe(first)
  })
})
