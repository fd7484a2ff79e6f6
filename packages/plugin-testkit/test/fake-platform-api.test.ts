import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakePlatformApi, reply, startFakePlatformApi } from '../src/index.js'

describe('startFakePlatformApi', () => {
  let api: FakePlatformApi | undefined

  afterEach(async () => {
    await api?.close()
    api = undefined
  })

  it('records requests and responds with the scripted reply', async () => {
    api = await startFakePlatformApi()
    api.on('POST', '/v1/messages').reply(reply.ok({ id: 'm-1' }))

    const response = await request(`${api.url}/v1/messages?dry=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"text":"hi"}',
    })

    expect(response.statusCode).toBe(200)
    expect(await response.body.json()).toEqual({ id: 'm-1' })
    expect(api.requests).toHaveLength(1)
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      query: { dry: '1' },
      text: '{"text":"hi"}',
      matched: true,
    })
    expect(api.requests[0]?.headers.authorization).toBe('Bearer t')
  })

  it('uses one-off replies in order before the standing one', async () => {
    api = await startFakePlatformApi()
    api
      .on('POST', /^\/bot[^/]+\/sendMessage$/)
      .replyOnce(reply.rateLimited(3))
      .replyOnce(reply.serverError(502))
      .reply(reply.clientError(403, { ok: false }))
    const statuses: number[] = []
    let retryAfter: unknown

    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await request(`${api.url}/bot123:abc/sendMessage`, { method: 'POST', body: '{}' })
      statuses.push(response.statusCode)
      retryAfter ??= response.headers['retry-after']
      await response.body.dump()
    }

    expect(statuses).toEqual([429, 502, 403, 403])
    expect(retryAfter).toBe('3')
  })

  it('drops the connection without a response', async () => {
    api = await startFakePlatformApi()
    api.on('GET', '/drop').reply(reply.drop())

    await expect(request(`${api.url}/drop`)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(api.requests).toHaveLength(1)
  })

  it('responds 404 to unscripted requests and marks them unmatched', async () => {
    api = await startFakePlatformApi()

    const response = await request(`${api.url}/nowhere`, { method: 'DELETE' })

    expect(response.statusCode).toBe(404)
    expect(await response.body.json()).toEqual({
      error: 'the fake platform API has no reply scripted for DELETE /nowhere',
    })
    expect(api.requests[0]?.matched).toBe(false)
  })

  it('delays a reply and forgets everything on reset', async () => {
    api = await startFakePlatformApi()
    api.on('GET', '/slow').reply({ kind: 'respond', status: 200, body: 'late', delayMs: 50 })
    const started = Date.now()

    const response = await request(`${api.url}/slow`)

    expect(await response.body.text()).toBe('late')
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    api.reset()
    expect(api.requests).toHaveLength(0)
    expect((await request(`${api.url}/slow`)).statusCode).toBe(404)
  })
})
