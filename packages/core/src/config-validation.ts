import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { JsonSchema } from './plugin.js'

/** One problem found in a config, located by JSON pointer, with the change that fixes it. */
export interface ConfigProblem {
  pointer: string
  message: string
  fix: string
}

function describeFix(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `add the property "${String(params.missingProperty)}"`
    case 'additionalProperties':
      return `remove "${String(params.additionalProperty)}" or correct its spelling`
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

/** Turns ajv errors into problems with a pointer and a fix, one per error. */
export function toConfigProblems(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): ConfigProblem[] {
  return (errors ?? []).map((error) => {
    const params = error.params as Record<string, unknown>
    const property =
      error.keyword === 'required'
        ? `/${String(params.missingProperty)}`
        : error.keyword === 'additionalProperties'
          ? `/${String(params.additionalProperty)}`
          : ''
    const pointer = `${prefix}${error.instancePath}${property}` || '/'
    return { pointer, message: error.message ?? 'is invalid', fix: describeFix(error) }
  })
}

/**
 * Compiles config schemas with the settings Chatwire relies on: every error reported, defaults
 * filled in, and the `x-secret` annotation accepted. Draft 2020-12 schemas (by `$schema`) get
 * ajv's 2020 dialect, everything else draft-07.
 */
export class ConfigSchemaCompiler {
  readonly #draft07 = new Ajv({ allErrors: true, useDefaults: true, strict: true })
  readonly #draft2020 = new Ajv2020({ allErrors: true, useDefaults: true, strict: true })

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
