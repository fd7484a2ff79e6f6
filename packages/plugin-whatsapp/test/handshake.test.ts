import { handleWebhook } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { VERIFY_TOKEN, webhookRequest } from './fixtures.js'
import { createProcessor } from './helpers.js'

function handshakeRequest(query: Record<string, string>, method = 'GET') {
  return { ...webhookRequest('', { secret: false, method, query }), headers: {} }
}

describe('verification handshake', () => {
  it('should return the challenge as plain text', async () => {
    const request = handshakeRequest({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    })

    const result = await handleWebhook(createProcessor(), request)

    expect(result.stage).toBe('handshake')
    expect(result.response.status).toBe(200)
    expect(result.response.body).toBe('1158201444')
    expect(result.response.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong-token', 'hub.challenge': '1' }],
    [
      'a token prefix',
      { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN.slice(0, 4), 'hub.challenge': '1' },
    ],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
    ['no parameters', {}],
  ])('should respond 403 to %s', async (_case, query) => {
    const result = await handleWebhook(createProcessor(), handshakeRequest(query))

    expect(result.stage).toBe('handshake')
    expect(result.response.status).toBe(403)
    expect(JSON.parse(result.response.body)).toMatchObject({
      error: { code: 'CHATWIRE_ERR_HANDSHAKE_REJECTED' },
    })
  })

  it('should not treat a POST with hub parameters as a handshake', async () => {
    const request = {
      ...handshakeRequest(
        { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' },
        'POST',
      ),
      headers: { 'content-type': 'application/json' },
    }

    const result = await handleWebhook(createProcessor(), request)

    expect(result.stage).toBe('verify')
    expect(result.response.status).toBe(401)
  })
})
