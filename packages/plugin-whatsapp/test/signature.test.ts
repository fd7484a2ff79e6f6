import { ChatwireError, handleWebhook, hmacSha256 } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { WhatsAppWebhookProcessor } from '../src/index.js'
import {
  APP_SECRET,
  inboundMessage,
  PHONE_NUMBER_ID,
  signatureOf,
  VERIFY_TOKEN,
  webhookRequest,
} from './fixtures.js'
import { createProcessor, receivedMessage } from './helpers.js'

/**
 * A body as Meta sends it: non-ASCII characters escaped as `\uXXXX` (an emoji as a surrogate
 * pair) and every `/` escaped as `\/`. `String.raw` keeps the backslashes as bytes.
 */
const META_BODY = String.raw`{"object":"whatsapp_business_account","entry":[{"id":"900000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"100000000000001"},"contacts":[{"profile":{"name":"J\u00f6rg M\u00fcller"},"wa_id":"15551230001"}],"messages":[{"from":"15551230001","id":"wamid.SIG1","timestamp":"1764849600","text":{"body":"Caf\u00e9 \ud83d\ude00 see https:\/\/example.test\/menu"},"type":"text"}]},"field":"messages"}]}]}`

function errorOf(action: () => void): ChatwireError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(ChatwireError)
    return error as ChatwireError
  }
  throw new Error('expected the call to throw')
}

describe('signature verification', () => {
  it('should verify the raw bytes of an escaped body', async () => {
    const request = webhookRequest(META_BODY)
    expect(request.body.every((byte) => byte < 0x80)).toBe(true)

    const result = await handleWebhook(createProcessor(), request)

    expect(result.response.status).toBe(200)
    expect(result.events).toHaveLength(1)
    const [event] = result.events
    expect(receivedMessage(event).message).toEqual({
      type: 'text',
      text: 'Caf\u00e9 \u{1F600} see https://example.test/menu',
    })
    expect(receivedMessage(event).userName).toBe('J\u00f6rg M\u00fcller')
  })

  it('should fail when re-serialized JSON is hashed', () => {
    const reserialized = JSON.stringify(JSON.parse(META_BODY))
    expect(reserialized).not.toBe(META_BODY)
    expect(signatureOf(reserialized)).not.toBe(signatureOf(META_BODY))

    const request = webhookRequest(reserialized, {
      headers: { 'x-hub-signature-256': signatureOf(META_BODY) },
    })
    const error = errorOf(() => createProcessor().verify(request))

    expect(error.code).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
    expect(error.statusCode).toBe(401)
  })

  it('should accept any secret during rotation', () => {
    const processor = new WhatsAppWebhookProcessor({
      appSecrets: ['new-secret', APP_SECRET],
      verifyToken: VERIFY_TOKEN,
    })

    expect(() => processor.verify(webhookRequest(META_BODY, { secret: APP_SECRET }))).not.toThrow()
    expect(() => processor.verify(webhookRequest(META_BODY, { secret: 'new-secret' }))).not.toThrow()
    const error = errorOf(() => processor.verify(webhookRequest(META_BODY, { secret: 'retired-secret' })))
    expect(error.code).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
  })

  it('should prefer secrets the host passes', () => {
    const processor = new WhatsAppWebhookProcessor({
      appSecrets: ['config-secret'],
      verifyToken: VERIFY_TOKEN,
    })
    const request = webhookRequest(META_BODY, { secret: APP_SECRET })

    expect(() => processor.verify(request, { secrets: [APP_SECRET] })).not.toThrow()
    expect(errorOf(() => processor.verify(request)).code).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
  })

  it('should reject when no secret is configured', () => {
    const processor = new WhatsAppWebhookProcessor({ appSecrets: [], verifyToken: VERIFY_TOKEN })

    const error = errorOf(() => processor.verify(webhookRequest(META_BODY)))

    expect(error.code).toBe('CHATWIRE_ERR_SECRET_NOT_CONFIGURED')
    expect(error.statusCode).toBe(401)
  })

  it('should reject a missing header', () => {
    const error = errorOf(() => createProcessor().verify(webhookRequest(META_BODY, { secret: false })))

    expect(error.code).toBe('CHATWIRE_ERR_SIGNATURE_MISSING')
    expect(error.statusCode).toBe(401)
  })

  it('should not accept the legacy SHA-1 header alone', () => {
    const legacy = `sha1=${'0'.repeat(40)}`
    const request = webhookRequest(META_BODY, { secret: false, headers: { 'x-hub-signature': legacy } })

    const error = errorOf(() => createProcessor().verify(request))

    expect(error.code).toBe('CHATWIRE_ERR_SIGNATURE_MISSING')
    expect(error.details).toMatchObject({ legacyHeaderPresent: true })
  })

  it.each([
    ['a SHA-1 prefix', `sha1=${hmacSha256(APP_SECRET, META_BODY, 'hex')}`],
    ['no prefix', hmacSha256(APP_SECRET, META_BODY, 'hex')],
    ['a short digest', `sha256=${hmacSha256(APP_SECRET, META_BODY, 'hex').slice(0, 40)}`],
    ['non-hex digits', `sha256=${'z'.repeat(64)}`],
    ['base64', `sha256=${hmacSha256(APP_SECRET, META_BODY, 'base64')}`],
  ])('should reject a header with %s as malformed', (_case, header) => {
    const request = webhookRequest(META_BODY, { headers: { 'x-hub-signature-256': header } })

    const error = errorOf(() => createProcessor().verify(request))

    expect(error.code).toBe('CHATWIRE_ERR_WHATSAPP_SIGNATURE_MALFORMED')
    expect(error.statusCode).toBe(401)
  })

  it('should accept upper-case hex digits', () => {
    const header = `sha256=${hmacSha256(APP_SECRET, META_BODY, 'hex').toUpperCase()}`
    const request = webhookRequest(META_BODY, { headers: { 'x-hub-signature-256': header } })

    expect(() => createProcessor().verify(request)).not.toThrow()
  })

  it('should reject a body changed after signing', async () => {
    const tampered = META_BODY.replace('wamid.SIG1', 'wamid.SIG2')
    const request = webhookRequest(tampered, { headers: { 'x-hub-signature-256': signatureOf(META_BODY) } })

    const result = await handleWebhook(createProcessor(), request)

    expect(result.stage).toBe('verify')
    expect(result.response.status).toBe(401)
    expect(JSON.parse(result.response.body)).toMatchObject({
      error: { code: 'CHATWIRE_ERR_SIGNATURE_INVALID' },
    })
    expect(result.events).toEqual([])
  })
})

describe('channelAccountIdOf', () => {
  it('should return the first phone number id without verifying', () => {
    const request = webhookRequest(inboundMessage({ id: 'wamid.X', type: 'text', text: { body: 'x' } }), {
      secret: false,
    })

    expect(createProcessor().channelAccountIdOf(request)).toBe(PHONE_NUMBER_ID)
  })

  it.each([
    ['truncated JSON', '{"object":"whatsapp_business_account","entry":[{'],
    ['no metadata', '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{}}]}]}'],
    ['an array', '[1,2]'],
    ['an empty body', ''],
  ])('should return undefined for %s', (_case, body) => {
    expect(createProcessor().channelAccountIdOf(webhookRequest(body, { secret: false }))).toBeUndefined()
  })

  it('should leave parse results unchanged after a peek', () => {
    const body = inboundMessage({ id: 'wamid.PEEK', type: 'text', text: { body: 'peeked' } })
    const peeked = webhookRequest(body, { secret: false })
    const fresh = webhookRequest(body, { secret: false })
    const processor = createProcessor()

    expect(processor.channelAccountIdOf(peeked)).toBe(PHONE_NUMBER_ID)
    const afterPeek = processor.parse(peeked).map(({ receivedAt: _r, ...event }) => event)
    const alone = processor.parse(fresh).map(({ receivedAt: _r, ...event }) => event)
    expect(afterPeek).toEqual(alone)
    expect(afterPeek[0]).toMatchObject({ platformMessageId: 'wamid.PEEK', message: { text: 'peeked' } })
  })

  it('should still reject a malformed body after a peek', () => {
    const request = webhookRequest('{"object":', { secret: false })
    const processor = createProcessor()

    expect(processor.channelAccountIdOf(request)).toBeUndefined()
    expect(() => processor.parse(request)).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_WHATSAPP_BODY_NOT_JSON' }),
    )
  })
})
