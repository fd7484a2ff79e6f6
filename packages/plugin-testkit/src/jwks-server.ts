import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose'

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

interface KeyEntry {
  kid: string
  privateKey: SigningKey
  publicJwk: JWK
}

export interface JwksServerOptions {
  /** JWS algorithm of the generated keys; defaults to RS256, which Bot Framework uses. */
  algorithm?: 'RS256' | 'ES256'
  /** `iss` of minted tokens and of the OpenID metadata; defaults to the server's own URL. */
  issuer?: string
  /** Extra members added to every published JWK, such as Bot Framework's `endorsements`. */
  jwkExtras?: Record<string, unknown>
}

export interface MintOptions {
  audience?: string | string[]
  issuer?: string
  /** Lifetime in seconds from `issuedAt`; defaults to 3600. A negative value mints an expired token. */
  expiresInSeconds?: number
  /** Unix seconds of `iat`; defaults to now. */
  issuedAt?: number
  notBefore?: number
  /** Signs with this key id instead of the newest key. */
  kid?: string
  /** Signs with a fresh key that the JWKS does not publish, to test rejection of unknown keys. */
  untrusted?: boolean
}

export interface JwksServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string
  /** URL of the JSON Web Key Set. */
  readonly jwksUri: string
  /** URL of the OpenID Connect discovery document that points at the JWKS. */
  readonly openIdConfigurationUrl: string
  readonly issuer: string
  /** Number of requests served, to check that a verifier caches the key set. */
  readonly requestCount: number
  /** Key ids currently published, newest last. */
  keyIds(): string[]
  /** Signs a JWT with the given claims. */
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>
  /** Adds a new signing key and publishes it, keeping the old ones; returns its key id. */
  rotate(): Promise<string>
  /** Stops publishing a key, as a platform does after rotation. */
  retire(kid: string): void
  close(): Promise<void>
}

async function createKey(algorithm: string, extras: Record<string, unknown>): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true })
  const kid = randomUUID()
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: 'sig', ...extras }
  return { kid, privateKey, publicJwk }
}

/**
 * Starts an HTTP server on 127.0.0.1 that publishes a JSON Web Key Set and an OpenID
 * discovery document, and mints JWTs signed with its keys, for testing JWT-based platforms
 * such as Bot Framework without reaching the real issuer.
 */
export async function startJwksServer(options: JwksServerOptions = {}): Promise<JwksServer> {
  const algorithm = options.algorithm ?? 'RS256'
  const extras = options.jwkExtras ?? {}
  const keys: KeyEntry[] = [await createKey(algorithm, extras)]
  let requestCount = 0
  let issuer = options.issuer ?? ''

  const server: Server = createServer((request, response) => {
    requestCount += 1
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    let body: unknown
    if (path === '/.well-known/jwks.json' || path === '/keys') {
      body = { keys: keys.map((key) => key.publicJwk) }
    } else if (path === '/.well-known/openid-configuration' || path === '/.well-known/openidconfiguration') {
      body = {
        issuer,
        jwks_uri: `${url}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: [algorithm],
      }
    }
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ error: `no document at ${path}` }))
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  issuer = issuer === '' ? url : issuer

  return {
    url,
    jwksUri: `${url}/.well-known/jwks.json`,
    openIdConfigurationUrl: `${url}/.well-known/openid-configuration`,
    issuer,
    get requestCount() {
      return requestCount
    },
    keyIds: () => keys.map((key) => key.kid),
    async mint(claims, mintOptions = {}) {
      const key = mintOptions.untrusted
        ? await createKey(algorithm, extras)
        : keys.find((candidate) => candidate.kid === (mintOptions.kid ?? keys.at(-1)?.kid))
      if (key === undefined) {
        throw new RangeError(`no published key has kid ${JSON.stringify(mintOptions.kid)}`)
      }
      const issuedAt = mintOptions.issuedAt ?? Math.floor(Date.now() / 1000)
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: algorithm, kid: key.kid, typ: 'JWT' })
        .setIssuer(mintOptions.issuer ?? issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (mintOptions.expiresInSeconds ?? 3600))
      if (mintOptions.audience !== undefined) {
        jwt.setAudience(mintOptions.audience)
      }
      if (mintOptions.notBefore !== undefined) {
        jwt.setNotBefore(mintOptions.notBefore)
      }
      return jwt.sign(key.privateKey)
    },
    async rotate() {
      const key = await createKey(algorithm, extras)
      keys.push(key)
      return key.kid
    },
    retire(kid) {
      const index = keys.findIndex((key) => key.kid === kid)
      if (index !== -1) {
        keys.splice(index, 1)
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
