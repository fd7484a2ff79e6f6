import type { PluginNames } from '../names.js'

export function indexTs(names: PluginNames): string {
  return `import { ${camel(names)}Plugin } from './plugin.js'

// A Chatwire host loads the default export by package name.
export default ${camel(names)}Plugin
export { ${camel(names)}Plugin }
export { ${names.typeName}WebhookProcessor } from './processor.js'
export { ${names.typeName}Sender } from './sender.js'
export { configSchema } from './config.js'
export type { ${names.typeName}Config } from './config.js'
export { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './verify.js'
`
}

function camel(names: PluginNames): string {
  return names.platform.replace(/-./g, (match) => match.charAt(1).toUpperCase())
}

export function pluginTs(names: PluginNames): string {
  return `import { definePlugin } from '@chatwire/core'
import type { Dispatcher } from 'undici'
import type { ${names.typeName}Config } from './config.js'
import { manifest } from './manifest.js'
import { ${names.typeName}WebhookProcessor } from './processor.js'
import { ${names.typeName}Sender } from './sender.js'

/** The plugin object; the host validates the config against \`configSchema\` before \`create\` runs. */
export const ${camel(names)}Plugin = definePlugin<${names.typeName}Config>({
  manifest,
  create(config, context) {
    const processor = new ${names.typeName}WebhookProcessor({ signingSecrets: [config.signingSecret] })
    const sender = new ${names.typeName}Sender({
      accessToken: config.accessToken,
      apiBaseUrl: config.apiBaseUrl,
      sendTimeoutMs: config.sendTimeoutMs,
      // Core declares the host's undici dispatcher with a loose type, so that core does not depend
      // on undici.
      dispatcher: context.dispatcher as Dispatcher | undefined,
    })
    return { processor, sender, close: () => sender.close() }
  },
})
`
}

export function manifestTs(names: PluginNames): string {
  return `import type { PluginManifest } from '@chatwire/core'
import { configSchema } from './config.js'

export const manifest: PluginManifest = {
  name: '${names.packageName}',
  version: '0.1.0',
  // Keep equal to the @chatwire/core peerDependency range in package.json.
  coreRange: '^0.1.0',
  platform: '${names.platform}',
  configSchema,
  description: '${names.typeName} webhooks and sending for Chatwire.',
}
`
}

export function configTs(names: PluginNames): string {
  return `import type { JsonSchema } from '@chatwire/core'

/** The plugin config after validation, with defaults filled in. */
export interface ${names.typeName}Config {
  signingSecret: string
  accessToken: string
  apiBaseUrl: string
  /** Time limit of one send call, in milliseconds. */
  sendTimeoutMs: number
}

/** JSON Schema (draft-07) of the config. Hosts redact every field marked "x-secret". */
export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['signingSecret', 'accessToken', 'apiBaseUrl'],
  additionalProperties: false,
  properties: {
    signingSecret: { type: 'string', minLength: 1, 'x-secret': true, description: 'Secret that signs webhooks.' },
    accessToken: { type: 'string', minLength: 1, 'x-secret': true, description: 'Token for the send API.' },
    apiBaseUrl: { type: 'string', pattern: '^https?://', description: 'Base URL of the send API.' },
    sendTimeoutMs: { type: 'integer', minimum: 1, maximum: 120000, default: 10000 },
  },
}
`
}

export function verifyTs(names: PluginNames): string {
  const prefix = `x-${names.platform}`
  return `import {
  assertHmacSignature,
  assertWithinReplayWindow,
  type Clock,
  hmacSha256,
  type RawWebhookRequest,
} from '@chatwire/core'

export const SIGNATURE_HEADER = '${prefix}-signature'
export const TIMESTAMP_HEADER = '${prefix}-timestamp'
const SCHEME = 'v1='
/** Accepted distance between the signed timestamp and now, in seconds, in either direction. */
const TOLERANCE_SECONDS = 300

/** Returns the headers that sign \`body\`: \`v1=\` and the hex HMAC-SHA256 of \`<timestamp>.<body>\`. */
export function signBody(body: Uint8Array | string, secret: string, timestamp: number): Record<string, string> {
  const digest = hmacSha256(secret, [\`\${timestamp}.\`, body], 'hex')
  return { [SIGNATURE_HEADER]: \`\${SCHEME}\${digest}\`, [TIMESTAMP_HEADER]: String(timestamp) }
}

/**
 * Checks the timestamp against the replay window, then the signature against every secret
 * (newest first) in constant time. Throws core's coded 401 errors.
 */
export function verifyRequest(request: RawWebhookRequest, secrets: readonly string[], clock?: Clock): void {
  const timestamp = request.headers[TIMESTAMP_HEADER]
  assertWithinReplayWindow(timestamp, { toleranceSeconds: TOLERANCE_SECONDS, clock, header: TIMESTAMP_HEADER })

  const header = request.headers[SIGNATURE_HEADER]
  // A header without the scheme prefix is passed on as a digest that cannot match.
  const digest = header === undefined || header === '' ? header : header.startsWith(SCHEME) ? header.slice(SCHEME.length) : '-'
  assertHmacSignature({
    secrets,
    signedBytes: [\`\${timestamp}.\`, request.body],
    signature: digest,
    encoding: 'hex',
    header: SIGNATURE_HEADER,
  })
}
`
}

export function processorTs(names: PluginNames): string {
  return `import {
  bodyText,
  type NormalizedEvent,
  type RawWebhookRequest,
  type VerifyOptions,
  type WebhookProcessor,
  type WebhookResponse,
} from '@chatwire/core'
import { parseBody } from './parse.js'
import { verifyRequest } from './verify.js'

export interface ${names.typeName}ProcessorOptions {
  /** Secrets, newest first; a host may pass others per request in \`VerifyOptions.secrets\`. */
  signingSecrets: readonly string[]
}

/** Receives ${names.typeName} webhooks; run it through core's handleWebhook or an adapter. */
export class ${names.typeName}WebhookProcessor implements WebhookProcessor {
  readonly contentTypes = ['application/json']
  readonly #secrets: readonly string[]

  constructor(options: ${names.typeName}ProcessorOptions) {
    this.#secrets = options.signingSecrets
  }

  // The platform has no endpoint handshake; return a response here if yours has one.
  handshake(): undefined {
    return undefined
  }

  verify(request: RawWebhookRequest, options: VerifyOptions = {}): void {
    verifyRequest(request, options.secrets ?? this.#secrets, options.clock)
  }

  parse(request: RawWebhookRequest): NormalizedEvent[] {
    return parseBody(bodyText(request), request.receivedAt)
  }

  acknowledge(): WebhookResponse {
    return { status: 200, headers: {}, body: '' }
  }
}
`
}

export function parseTs(names: PluginNames): string {
  return `import { createCoreError, type NormalizedEvent, stableEventId, unixSecondsToIso } from '@chatwire/core'

const PLATFORM = '${names.platform}'

/** The webhook body this template expects; replace it with the platform's payload. */
interface Delivery {
  id?: unknown
  type?: unknown
  account?: { id?: unknown }
  conversation?: { id?: unknown }
  sender?: { id?: unknown; name?: unknown }
  sentAt?: unknown
  text?: unknown
}

function readDelivery(text: string | undefined): Delivery {
  let parsed: unknown
  try {
    parsed = text === undefined ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as Delivery).id !== 'string') {
    throw createCoreError('CHATWIRE_ERR_MALFORMED_BODY', 'the webhook body is not a JSON object with a string id')
  }
  return parsed as Delivery
}

/** Turns a verified body into events; kinds the plugin does not model become \`unsupported\`. */
export function parseBody(text: string | undefined, receivedAtMs: number): NormalizedEvent[] {
  const delivery = readDelivery(text)
  const deliveryId = String(delivery.id)
  const receivedAt = new Date(receivedAtMs).toISOString()
  const base = {
    platform: PLATFORM,
    channelAccountId: String(delivery.account?.id ?? 'default'),
    conversationId: String(delivery.conversation?.id ?? ''),
    userId: String(delivery.sender?.id ?? ''),
    occurredAt: unixSecondsToIso(String(delivery.sentAt ?? '')) ?? receivedAt,
    receivedAt,
    raw: delivery,
  }

  if (delivery.type === 'message' && typeof delivery.text === 'string') {
    const event: NormalizedEvent = {
      ...base,
      id: stableEventId(PLATFORM, 'message.received', deliveryId),
      kind: 'message.received',
      platformMessageId: deliveryId,
      message: { type: 'text', text: delivery.text },
    }
    if (typeof delivery.sender?.name === 'string') {
      event.userName = delivery.sender.name
    }
    return [event]
  }

  const itemType = typeof delivery.type === 'string' ? delivery.type : 'unknown'
  return [
    {
      ...base,
      id: stableEventId(PLATFORM, 'unsupported', deliveryId),
      kind: 'unsupported',
      itemType,
      reason: \`the plugin does not handle \${itemType} deliveries yet\`,
    },
  ]
}
`
}

export function senderTs(names: PluginNames): string {
  return `import type { ChannelSender, OutboundMessage, SendOptions, SendOutcome } from '@chatwire/core'
import { Agent, type Dispatcher, request } from 'undici'

export interface ${names.typeName}SenderOptions {
  accessToken: string
  apiBaseUrl: string
  sendTimeoutMs?: number
  /** The host's pooled dispatcher; without one the sender creates and closes its own Agent. */
  dispatcher?: Dispatcher
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(header) ? header[0] : header)
  return header !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}

/** Sends text through \`POST {apiBaseUrl}/messages\` and classifies the response. */
export class ${names.typeName}Sender implements ChannelSender {
  readonly #options: ${names.typeName}SenderOptions
  readonly #dispatcher: Dispatcher
  readonly #ownsDispatcher: boolean

  constructor(options: ${names.typeName}SenderOptions) {
    this.#options = options
    this.#ownsDispatcher = options.dispatcher === undefined
    this.#dispatcher = options.dispatcher ?? new Agent()
  }

  async send(message: OutboundMessage, options: SendOptions = {}): Promise<SendOutcome> {
    if (message.content.type !== 'text') {
      return { status: 'permanent', code: 'UNSUPPORTED_CONTENT', message: \`cannot send \${message.content.type} content yet\` }
    }
    const timeoutMs = options.timeoutMs ?? this.#options.sendTimeoutMs ?? 10_000
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    const token = options.credentials?.accessToken ?? this.#options.accessToken

    let response: Dispatcher.ResponseData
    try {
      response = await request(\`\${this.#options.apiBaseUrl.replace(/\\/+$/, '')}/messages\`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: \`Bearer \${token}\` },
        body: JSON.stringify({ to: message.recipientId, text: message.content.text }),
        dispatcher: this.#dispatcher,
        signal,
      })
    } catch (error) {
      const reason = timeout.aborted ? \`no response within \${timeoutMs} ms\` : String(error)
      return { status: 'retryable', code: timeout.aborted ? 'TIMEOUT' : 'NETWORK', message: \`send failed: \${reason}\` }
    }

    const body = (await response.body.json().catch(() => ({}))) as { id?: unknown; error?: { code?: unknown; message?: unknown } }
    const status = response.statusCode
    if (status >= 200 && status < 300 && typeof body.id === 'string') {
      return { status: 'sent', platformMessageId: body.id }
    }
    const code = String(body.error?.code ?? \`HTTP_\${status}\`)
    const text = String(body.error?.message ?? \`the send API returned \${status}\`)
    if (status === 429) {
      return { status: 'retryable', code, message: text, httpStatus: status, retryAfterMs: retryAfterMs(response.headers['retry-after']) }
    }
    if (status >= 500) {
      return { status: 'retryable', code, message: text, httpStatus: status }
    }
    return { status: 'permanent', code, message: text, httpStatus: status }
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) {
      await this.#dispatcher.close()
    }
  }
}
`
}

export function conformanceTestTs(names: PluginNames): string {
  return `import { describeConformance } from '@chatwire/plugin-testkit/vitest'
import plugin, { SIGNATURE_HEADER, signBody } from '../src/index.js'

// The rules every Chatwire plugin passes; see the @chatwire/plugin-testkit README.
describeConformance({
  plugin,
  config: { signingSecret: 'test-signing-secret', accessToken: 'test-access-token', apiBaseUrl: 'https://api.${names.platform}.example' },
  secretPointer: '/signingSecret',
  signing: {
    header: SIGNATURE_HEADER,
    prefix: 'v1=',
    sign: (body, secret, { timestamp }) => signBody(body, secret, timestamp),
  },
  replayWindow: { toleranceSeconds: 300 },
  samples: {
    event: {
      body: JSON.stringify({
        id: 'delivery-1',
        type: 'message',
        account: { id: 'account-1' },
        conversation: { id: 'conversation-1' },
        sender: { id: 'user-1', name: 'Test User' },
        sentAt: 1764849600,
        text: 'hello',
      }),
      expectedKinds: ['message.received'],
    },
    unknownKind: { body: JSON.stringify({ id: 'delivery-2', type: 'poll.created', account: { id: 'account-1' } }) },
    malformed: { body: '{"id":"delivery-3",' },
  },
  sender: {
    configFor: (baseUrl) => ({ apiBaseUrl: baseUrl }),
    message: {
      platform: '${names.platform}',
      channelAccountId: 'account-1',
      recipientId: 'conversation-1',
      content: { type: 'text', text: 'hi' },
    },
    route: { method: 'POST', path: '/messages' },
    success: { body: { id: 'sent-1' }, platformMessageId: 'sent-1' },
    clientError: { status: 400, body: { error: { code: 'invalid_recipient', message: 'no such conversation' } } },
  },
})
`
}
