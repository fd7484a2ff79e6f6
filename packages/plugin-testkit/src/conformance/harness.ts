import {
  type ChatwireError,
  fixedClock,
  handleWebhook,
  type LoadedPlugin,
  PluginRegistry,
  type RawWebhookRequest,
  silentLogger,
  type VerifyOptions,
  type WebhookProcessor,
  type WebhookResult,
} from '@chatwire/core'
import type { ConformanceOptions, RequestSample } from './options.js'

/** Thrown by a rule to fail with a message that names what the plugin did wrong. */
export class RuleFailure extends Error {
  override readonly name = 'RuleFailure'
}

const encoder = new TextEncoder()

export function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body
}

/** Returns a copy of `value` with the member at a JSON pointer removed or replaced. */
export function withPointer(
  value: unknown,
  pointer: string,
  replacement: { remove: true } | { set: unknown },
): unknown {
  const copy = structuredClone(value)
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
  let node = copy as Record<string, unknown> | undefined
  for (const segment of segments.slice(0, -1)) {
    node = node?.[segment] as Record<string, unknown> | undefined
  }
  const last = segments.at(-1)
  if (node === undefined || typeof node !== 'object' || last === undefined || !(last in node)) {
    throw new RuleFailure(`secretPointer ${pointer} does not point at a value in the given config`)
  }
  if ('remove' in replacement && Array.isArray(node)) {
    node.splice(Number(last), 1)
  } else if ('remove' in replacement) {
    delete node[last]
  } else {
    node[last] = replacement.set
  }
  return copy
}

/** Reads the value at a JSON pointer. */
export function readPointer(value: unknown, pointer: string): unknown {
  let node = value
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~')
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined
  }
  return node
}

/** Changes the last letter or digit of a secret, so the result keeps the secret's length and alphabet. */
export function defaultOtherSecret(secret: string, seed: number): string {
  for (let index = secret.length - 1; index >= 0; index -= 1) {
    const character = secret[index] ?? ''
    const alphabet = /[0-9]/.test(character)
      ? '0123456789'
      : /[a-z]/.test(character)
        ? 'abcdefghijklmnopqrstuvwxyz'
        : /[A-Z]/.test(character)
          ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
          : ''
    if (alphabet !== '') {
      const replaced = alphabet[(alphabet.indexOf(character) + seed) % alphabet.length]
      return `${secret.slice(0, index)}${replaced}${secret.slice(index + 1)}`
    }
  }
  return `${secret}${seed}`
}

export interface SendResult {
  request: RawWebhookRequest
  result: WebhookResult
}

/** The plugin under test and the helpers that rules use to call it. */
export class Harness<Config = unknown> {
  readonly options: ConformanceOptions<Config>
  readonly now: number
  readonly secret: string
  #registry: PluginRegistry | undefined
  #loaded: LoadedPlugin | undefined

  constructor(options: ConformanceOptions<Config>) {
    this.options = options
    this.now = options.now ?? Date.now()
    const secret = readPointer(options.config, options.secretPointer)
    if (typeof secret !== 'string' || secret === '') {
      throw new TypeError(
        `conformance options: secretPointer ${options.secretPointer} must point at a non-empty string in config`,
      )
    }
    this.secret = secret
  }

  get nowSeconds(): number {
    return Math.floor(this.now / 1000)
  }

  otherSecret(seed: number): string {
    return (this.options.signing.otherSecret ?? defaultOtherSecret)(this.secret, seed)
  }

  /** Loads a plugin through a real registry, as a host would; throws the registry's error. */
  async load(config: unknown): Promise<{ registry: PluginRegistry; plugin: LoadedPlugin }> {
    const registry = new PluginRegistry({
      createContext: () => ({ logger: silentLogger, clock: fixedClock(this.now) }),
    })
    const [plugin] = await registry.load([{ plugin: this.options.plugin as never, config }])
    if (plugin === undefined) {
      throw new RuleFailure('the registry loaded no plugin')
    }
    return { registry, plugin }
  }

  /** Returns the plugin loaded with the valid config, created once and shared by the webhook rules. */
  async plugin(): Promise<LoadedPlugin> {
    if (this.#loaded === undefined) {
      const { registry, plugin } = await this.load(this.options.config)
      this.#registry = registry
      this.#loaded = plugin
    }
    return this.#loaded
  }

  /** Builds a raw request from a sample, with `headers` (such as signature headers) added last. */
  async request(
    sample: RequestSample,
    headers: Record<string, string> = {},
    receivedAt = this.now,
  ): Promise<RawWebhookRequest> {
    const { processor } = (await this.plugin()).instance
    const contentType = sample.contentType === undefined ? processor.contentTypes[0] : sample.contentType
    const merged: Record<string, string> = {}
    if (contentType !== null && contentType !== undefined) {
      merged['content-type'] = contentType
    }
    for (const [name, value] of Object.entries({ ...sample.headers, ...headers })) {
      merged[name.toLowerCase()] = value
    }
    const route = (await this.plugin()).route
    return {
      method: sample.method ?? 'POST',
      path: `/webhooks/${route}`,
      headers: merged,
      query: { ...sample.query },
      body: toBytes(sample.body),
      receivedAt,
      remoteAddress: '127.0.0.1',
    }
  }

  /** Signs a sample's body with `secret` (defaults to the config's) at `timestamp` (Unix seconds). */
  sign(sample: RequestSample, secret = this.secret, timestamp = this.nowSeconds): Record<string, string> {
    const headers = this.options.signing.sign(toBytes(sample.body), secret, { timestamp })
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
  }

  /** Runs a request through core's handleWebhook with the suite's clock, on the shared plugin unless `processor` is given. */
  async handle(
    request: RawWebhookRequest,
    verifyOptions?: VerifyOptions,
    processor?: WebhookProcessor,
  ): Promise<WebhookResult> {
    const target = processor ?? (await this.plugin()).instance.processor
    return handleWebhook(target, request, {
      clock: fixedClock(this.now),
      verifyOptions: verifyOptions === undefined ? undefined : () => verifyOptions,
    })
  }

  /** Signs and sends a sample; `headers` override the signature headers. */
  async send(
    sample: RequestSample,
    headers: Record<string, string> = {},
    verifyOptions?: VerifyOptions,
  ): Promise<SendResult> {
    const request = await this.request(sample, { ...this.sign(sample), ...headers })
    return { request, result: await this.handle(request, verifyOptions) }
  }

  async close(): Promise<void> {
    await this.#registry?.close()
    this.#registry = undefined
    this.#loaded = undefined
  }
}

/** Describes a webhook result for failure messages: status, error code and event count. */
export function describeResult(result: WebhookResult): string {
  const error: ChatwireError | undefined = result.error
  const code = error === undefined ? '' : ` ${error.code}`
  return `status ${result.response.status}${code} at stage ${result.stage} with ${result.events.length} event(s)`
}
