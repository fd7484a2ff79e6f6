import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { createReferenceEngineError } from './error-codes.js'

export interface TenantRecord {
  id: string
  name?: string
}

export interface ChannelRecord {
  /** Platform id, for example `whatsapp` or `slack`. */
  platform: string
  /** The platform's id of the channel account; for WhatsApp the phone number id. */
  channelAccountId: string
  tenantId: string
  /** Every secret that signs webhooks; more than one during a rotation. */
  webhookSecrets: string[]
  sendToken: string
  /** ISO 8601 time at which sendToken expires. */
  sendTokenExpiresAt?: string
  settings?: Record<string, unknown>
}

export interface ApiKeyRecord {
  key: string
  tenantId: string
  subject: string
  scopes: string[]
}

export interface TokenRecord {
  token: string
  tenantId: string
  subject: string
  scopes: string[]
  /** ISO 8601 time after which the token is no longer valid. */
  expiresAt?: string
}

export interface PermissionRecord {
  subject: string
  tenantId: string
  /** Permission names, or `*` for all. */
  permissions: string[]
  /** Resources the permissions apply to; any resource of the tenant when unset. */
  resources?: string[]
}

export interface FlowRecord {
  tenantId: string
  flowId: string
  name: string
  description?: string
  version: string
  status: 'draft' | 'active' | 'archived'
}

/** The contents of a reference engine data file. */
export interface EngineData {
  tenants: TenantRecord[]
  channels: ChannelRecord[]
  apiKeys: ApiKeyRecord[]
  tokens: TokenRecord[]
  permissions: PermissionRecord[]
  flows: FlowRecord[]
}

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } }
const id = { type: 'string', minLength: 1 }
const isoTime = { type: 'string', minLength: 1 }

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id, name: { type: 'string' } },
      },
    },
    channels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['platform', 'channelAccountId', 'tenantId', 'webhookSecrets', 'sendToken'],
        properties: {
          platform: id,
          channelAccountId: id,
          tenantId: id,
          webhookSecrets: { ...stringList, minItems: 1 },
          sendToken: { type: 'string' },
          sendTokenExpiresAt: isoTime,
          settings: { type: 'object' },
        },
      },
    },
    apiKeys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'tenantId', 'subject', 'scopes'],
        properties: { key: id, tenantId: id, subject: id, scopes: stringList },
      },
    },
    tokens: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token', 'tenantId', 'subject', 'scopes'],
        properties: { token: id, tenantId: id, subject: id, scopes: stringList, expiresAt: isoTime },
      },
    },
    permissions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['subject', 'tenantId', 'permissions'],
        properties: { subject: id, tenantId: id, permissions: stringList, resources: stringList },
      },
    },
    flows: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tenantId', 'flowId', 'name', 'version', 'status'],
        properties: {
          tenantId: id,
          flowId: id,
          name: id,
          description: { type: 'string' },
          version: id,
          status: { enum: ['draft', 'active', 'archived'] },
        },
      },
    },
  },
} as const

const validateSchema = new Ajv({ allErrors: true }).compile(schema)

/**
 * Checks raw data against the schema and cross-references (each channel, key and flow names a
 * known tenant, times parse). Throws CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID listing every problem.
 */
export function parseEngineData(raw: unknown, source = 'data'): EngineData {
  const problems: string[] = []

  if (!validateSchema(raw)) {
    for (const error of validateSchema.errors ?? []) {
      problems.push(`${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    }
    throw invalidData(source, problems)
  }

  const input = raw as Partial<EngineData>
  const data: EngineData = {
    tenants: input.tenants ?? [],
    channels: input.channels ?? [],
    apiKeys: input.apiKeys ?? [],
    tokens: input.tokens ?? [],
    permissions: input.permissions ?? [],
    flows: input.flows ?? [],
  }

  const tenants = new Set(data.tenants.map((tenant) => tenant.id))
  const checkTenant = (path: string, tenantId: string): void => {
    if (!tenants.has(tenantId)) {
      problems.push(`${path}/tenantId names unknown tenant ${JSON.stringify(tenantId)}`)
    }
  }
  const checkTime = (path: string, value: string | undefined): void => {
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      problems.push(`${path} is not an ISO 8601 time: ${JSON.stringify(value)}`)
    }
  }

  const channelKeys = new Set<string>()
  data.channels.forEach((channel, index) => {
    checkTenant(`/channels/${index}`, channel.tenantId)
    checkTime(`/channels/${index}/sendTokenExpiresAt`, channel.sendTokenExpiresAt)
    const key = `${channel.platform}/${channel.channelAccountId}`
    if (channelKeys.has(key)) {
      problems.push(`/channels/${index} repeats channel ${key}`)
    }
    channelKeys.add(key)
  })
  for (const [section, records] of [
    ['apiKeys', data.apiKeys],
    ['tokens', data.tokens],
    ['permissions', data.permissions],
    ['flows', data.flows],
  ] as const) {
    records.forEach((record, index) => {
      checkTenant(`/${section}/${index}`, record.tenantId)
    })
  }
  data.tokens.forEach((token, index) => {
    checkTime(`/tokens/${index}/expiresAt`, token.expiresAt)
  })

  if (problems.length > 0) {
    throw invalidData(source, problems)
  }
  return data
}

/** Reads a YAML or JSON data file; YAML is a superset of JSON, so one parser reads both. */
export async function loadEngineData(path: string): Promise<EngineData> {
  let raw: unknown
  try {
    raw = parseYaml(await readFile(path, 'utf8'))
  } catch (error) {
    throw createReferenceEngineError(
      'CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID',
      `Could not read reference engine data file ${path}: ${(error as Error).message}`,
      { cause: error, details: { path } },
    )
  }
  return parseEngineData(raw, path)
}

function invalidData(source: string, problems: string[]) {
  return createReferenceEngineError(
    'CHATWIRE_ERR_REFERENCE_ENGINE_DATA_INVALID',
    `Invalid reference engine data in ${source}:\n  - ${problems.join('\n  - ')}\nFix these entries and start again.`,
    { details: { source, problems } },
  )
}
