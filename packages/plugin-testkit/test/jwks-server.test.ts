import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { type JwksServer, startJwksServer } from '../src/index.js'

describe('startJwksServer', () => {
  let server: JwksServer | undefined

  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('mints tokens that verify against its key set', async () => {
    server = await startJwksServer()
    const token = await server.mint({ serviceUrl: 'http://127.0.0.1/' }, { audience: 'app-id' })

    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(server.jwksUri)), {
      issuer: server.issuer,
      audience: 'app-id',
    })

    expect(payload.serviceUrl).toBe('http://127.0.0.1/')
    expect(protectedHeader.kid).toBe(server.keyIds()[0])
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves discovery that points at the key set', async () => {
    server = await startJwksServer({
      issuer: 'https://api.botframework.example',
      jwkExtras: { endorsements: ['msteams'] },
    })

    const discovery = (await (await fetch(server.openIdConfigurationUrl)).json()) as Record<string, unknown>
    const keys = (await (await fetch(server.jwksUri)).json()) as { keys: Record<string, unknown>[] }

    expect(discovery).toMatchObject({ issuer: 'https://api.botframework.example', jwks_uri: server.jwksUri })
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', endorsements: ['msteams'] })
    expect(keys.keys[0]).not.toHaveProperty('d')
    expect(server.requestCount).toBe(2)
  })

  it('rejects expired and untrusted tokens in a verifier', async () => {
    server = await startJwksServer()
    const keySet = createRemoteJWKSet(new URL(server.jwksUri))
    const expired = await server.mint({}, { expiresInSeconds: -60 })
    const untrusted = await server.mint({}, { untrusted: true })

    await expect(jwtVerify(expired, keySet)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' })
    await expect(jwtVerify(untrusted, keySet)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
  })

  it('rotates and retires keys', async () => {
    server = await startJwksServer({ algorithm: 'ES256' })
    const [first] = server.keyIds()
    const second = await server.rotate()
    const token = await server.mint({}, { kid: first })
    server.retire(first ?? '')

    expect(server.keyIds()).toEqual([second])
    await expect(jwtVerify(token, createRemoteJWKSet(new URL(server.jwksUri)))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    })
    await expect(server.mint({}, { kid: 'missing' })).rejects.toThrow(RangeError)
  })
})
