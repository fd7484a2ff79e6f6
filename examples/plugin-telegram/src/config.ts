import { ConfigSchemaCompiler, type JsonSchema, toConfigProblems } from '@chatwire/core'
import { createTelegramError } from './error-codes.js'

export const DEFAULT_API_BASE_URL = 'https://api.telegram.org'
export const DEFAULT_SEND_TIMEOUT_MS = 10_000

/** The plugin's config after validation, with every default filled in. */
export interface TelegramConfig {
  /** Bot token from @BotFather, `<bot id>:<secret part>`; the bot id becomes the channel account id. */
  botToken: string
  /** The `secret_token` given to setWebhook, which Telegram echoes in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: string
  /** Base URL of the Bot API, without the `/bot<token>` segment. */
  apiBaseUrl: string
  /** Time limit of one Bot API call, in milliseconds. */
  sendTimeoutMs: number
}

/** JSON Schema (draft-07) of the plugin config; ajv fills in the defaults. */
export const telegramConfigSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['botToken', 'secretToken'],
  additionalProperties: false,
  properties: {
    botToken: {
      type: 'string',
      pattern: '^[0-9]+:[A-Za-z0-9_-]+$',
      description: 'Bot token from @BotFather, for example 123456:ABC-DEF.',
      'x-secret': true,
    },
    secretToken: {
      type: 'string',
      // setWebhook accepts 1 to 256 characters of A-Z, a-z, 0-9, _ and -.
      pattern: '^[A-Za-z0-9_-]{1,256}$',
      description: 'secret_token passed to setWebhook and checked on every update.',
      'x-secret': true,
    },
    apiBaseUrl: {
      type: 'string',
      pattern: '^https?://',
      description: 'Base URL of the Bot API; point it at a local Bot API server or a test double.',
      default: DEFAULT_API_BASE_URL,
    },
    sendTimeoutMs: {
      type: 'integer',
      minimum: 1,
      maximum: 120_000,
      description: 'Time limit of one Bot API call, in milliseconds.',
      default: DEFAULT_SEND_TIMEOUT_MS,
    },
  },
}

/** Returns the bot id part of a bot token, which identifies the bot in every update it receives. */
export function botIdOf(botToken: string): string {
  return botToken.split(':', 1)[0] ?? ''
}

/**
 * Validates a config for embedding the plugin without a Chatwire host, filling in defaults on a
 * copy. Throws `CHATWIRE_ERR_TELEGRAM_CONFIG_INVALID` listing every problem in `details.problems`.
 */
export function resolveTelegramConfig(input: unknown): TelegramConfig {
  const copy = structuredClone(input ?? {})
  const validate = new ConfigSchemaCompiler().compile(telegramConfigSchema)
  if (!validate(copy)) {
    const problems = toConfigProblems(validate.errors, { schema: telegramConfigSchema })
    const listed = problems.map((problem) => `${problem.pointer} ${problem.message} (${problem.fix})`)
    throw createTelegramError(
      'CHATWIRE_ERR_TELEGRAM_CONFIG_INVALID',
      `invalid Telegram plugin config: ${listed.join('; ')}`,
      { details: { problems } },
    )
  }
  return copy as TelegramConfig
}
