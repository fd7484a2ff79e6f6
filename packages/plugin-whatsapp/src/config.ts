import { ConfigSchemaCompiler, type JsonSchema, toConfigProblems } from '@chatwire/core'
import { createWhatsAppError } from './error-codes.js'

export const DEFAULT_GRAPH_API_BASE_URL = 'https://graph.facebook.com'
export const DEFAULT_GRAPH_API_VERSION = 'v23.0'
export const DEFAULT_SEND_TIMEOUT_MS = 10_000

/** The plugin's config after validation, with every default filled in. */
export interface WhatsAppConfig {
  /** Meta app secrets, newest first; several are accepted while a secret is rotated. */
  appSecrets: string[]
  /** The token typed into the App Dashboard's Verify Token field for the GET handshake. */
  verifyToken: string
  /** System-user or business token for the Graph API; a host may pass one per send instead. */
  accessToken?: string
  graphApiBaseUrl: string
  /** Graph API version path segment, for example `v23.0`. */
  graphApiVersion: string
  /** Time limit of one Graph API call, in milliseconds. */
  sendTimeoutMs: number
}

/** JSON Schema (draft-07) of the plugin config; ajv fills in the defaults. */
export const whatsappConfigSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['verifyToken'],
  additionalProperties: false,
  properties: {
    appSecrets: {
      type: 'array',
      description:
        'Meta app secrets that sign X-Hub-Signature-256, newest first. May be empty when the host passes secrets per request.',
      items: { type: 'string', minLength: 1 },
      default: [],
      'x-secret': true,
    },
    verifyToken: {
      type: 'string',
      minLength: 1,
      description: 'Verify Token from the App Dashboard, checked on the GET handshake.',
      'x-secret': true,
    },
    accessToken: {
      type: 'string',
      minLength: 1,
      description:
        'Graph API access token used to send; a host may pass credentials.accessToken per send instead.',
      'x-secret': true,
    },
    graphApiBaseUrl: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description: 'Base URL of the Graph API, without a trailing version segment.',
      default: DEFAULT_GRAPH_API_BASE_URL,
    },
    graphApiVersion: {
      type: 'string',
      pattern: '^v[0-9]+\\.[0-9]+$',
      description: 'Graph API version, for example v23.0.',
      default: DEFAULT_GRAPH_API_VERSION,
    },
    sendTimeoutMs: {
      type: 'integer',
      minimum: 1,
      maximum: 120_000,
      description: 'Time limit of one Graph API call, in milliseconds.',
      default: DEFAULT_SEND_TIMEOUT_MS,
    },
  },
}

/**
 * Validates a config for embedding the plugin without a Chatwire host, filling in defaults on
 * a copy. Throws `CHATWIRE_ERR_WHATSAPP_CONFIG_INVALID` listing every problem in
 * `details.problems`. Hosts that load the plugin through `PluginRegistry` do not need it.
 */
export function resolveWhatsAppConfig(input: unknown): WhatsAppConfig {
  const copy = structuredClone(input ?? {})
  const validate = new ConfigSchemaCompiler().compile(whatsappConfigSchema)
  if (!validate(copy)) {
    const problems = toConfigProblems(validate.errors, { schema: whatsappConfigSchema })
    const listed = problems.map((problem) => `${problem.pointer} ${problem.message} (${problem.fix})`)
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_CONFIG_INVALID',
      `invalid WhatsApp plugin config: ${listed.join('; ')}`,
      { details: { problems } },
    )
  }
  return copy as WhatsAppConfig
}
