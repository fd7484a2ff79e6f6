import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { type JsonSchema, secretPointers } from './plugin.js'

/** One problem found in a config, located by JSON pointer, with the change that fixes it. */
export interface ConfigProblem {
  pointer: string
  message: string
  fix: string
}

/** Returns the edit distance between two short strings, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Returns the known property closest to a misspelt one, when one is close enough to be a typo. */
function closestProperty(unknown: string, parentSchema: unknown): string | undefined {
  const properties = (parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties
  if (properties === undefined) {
    return undefined
  }
  const limit = Math.max(2, Math.floor(unknown.length / 3))
  let best: { name: string; distance: number } | undefined
  for (const name of Object.keys(properties)) {
    const distance = editDistance(unknown.toLowerCase(), name.toLowerCase())
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { name, distance }
    }
  }
  return best?.name
}

function describeFix(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `add the property "${String(params.missingProperty)}"`
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty)
      const suggestion = closestProperty(unknown, error.parentSchema)
      return suggestion === undefined
        ? `remove "${unknown}" or correct its spelling`
        : `rename "${unknown}" to "${suggestion}", or remove it`
    }
    case 'type':
      return `use a value of type ${String(params.type)}`
    case 'enum':
      return `use one of ${JSON.stringify(params.allowedValues)}`
    case 'const':
      return `use ${JSON.stringify(params.allowedValue)}`
    case 'minLength':
      return `use a string of at least ${String(params.limit)} characters`
    case 'minItems':
      return `list at least ${String(params.limit)} item(s)`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `use a number ${String(params.comparison)} ${String(params.limit)}`
    case 'pattern':
      return `use a string matching ${String(params.pattern)}`
    case 'format':
      return `use a valid ${String(params.format)}`
    default:
      return 'change the value to match the schema'
  }
}

/** Returns whether an instance path lies under one of the schema's `x-secret` pointers (`*` matches any item). */
function isUnderSecret(instancePath: string, pointers: readonly string[]): boolean {
  const segments = instancePath.split('/').slice(1)
  return pointers.some((pointer) => {
    if (pointer === '/') {
      return true
    }
    const pattern = pointer.split('/').slice(1)
    return pattern.length <= segments.length && pattern.every((part, index) => part === '*' || part === segments[index])
  })
}

const SECRET_LOOKING_NAME = /secret|token|password|passphrase|credential|private|key$/i

/**
 * Returns the offending value for the message when it is a short scalar that is safe to show.
 * Values under an `x-secret` field are never shown; without the root schema, values of fields
 * whose name looks like a secret are hidden too.
 */
function shownValue(error: ErrorObject, secrets: readonly string[] | undefined): string | undefined {
  const value: unknown = error.data
  const isScalar = value === null || ['string', 'number', 'boolean'].includes(typeof value)
  if (!isScalar || error.keyword === 'required' || error.keyword === 'additionalProperties') {
    return undefined
  }
  const lastSegment = error.instancePath.split('/').at(-1) ?? ''
  const secret =
    secrets === undefined
      ? (error.parentSchema as Record<string, unknown> | undefined)?.['x-secret'] === true ||
        SECRET_LOOKING_NAME.test(lastSegment)
      : isUnderSecret(error.instancePath, secrets)
  if (secret) {
    return undefined
  }
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

export interface ConfigProblemOptions {
  /** Prefix of every pointer, such as `/config` for a plugin's config inside the host's. */
  prefix?: string
  /** The root schema; with it, values under `x-secret` fields are reliably kept out of messages. */
  schema?: JsonSchema
}

/**
 * Turns ajv errors into problems with a pointer, the offending value (never a secret) and a fix.
 * The errors must come from a validator built by ConfigSchemaCompiler, which keeps the values.
 */
export function toConfigProblems(
  errors: readonly ErrorObject[] | null | undefined,
  options: ConfigProblemOptions | string = {},
): ConfigProblem[] {
  const { prefix = '', schema } = typeof options === 'string' ? { prefix: options } : options
  const secrets = schema === undefined ? undefined : secretPointers(schema)

  return (errors ?? []).map((error) => {
    const params = error.params as Record<string, unknown>
    const property =
      error.keyword === 'required'
        ? `/${String(params.missingProperty)}`
        : error.keyword === 'additionalProperties'
          ? `/${String(params.additionalProperty)}`
          : ''
    const pointer = `${prefix}${error.instancePath}${property}` || '/'
    const value = shownValue(error, secrets)
    const message = `${error.message ?? 'is invalid'}${value === undefined ? '' : `, received ${value}`}`
    return { pointer, message, fix: describeFix(error) }
  })
}

/**
 * Compiles config schemas with the settings Chatwire relies on: every error reported, defaults
 * filled in, and the `x-secret` annotation accepted. Draft 2020-12 schemas (by `$schema`) get
 * ajv's 2020 dialect, everything else draft-07.
 */
export class ConfigSchemaCompiler {
  // `verbose` keeps the offending value and its schema on each error, for the messages above.
  readonly #draft07 = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true })
  readonly #draft2020 = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, verbose: true })

  constructor() {
    for (const ajv of [this.#draft07, this.#draft2020]) {
      addFormats.default(ajv)
      ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' })
    }
  }

  compile(schema: JsonSchema): ValidateFunction {
    const dialect = String(schema.$schema ?? '')
    const ajv = dialect.includes('2020-12') ? this.#draft2020 : this.#draft07
    return ajv.compile(schema as Record<string, unknown>)
  }
}
