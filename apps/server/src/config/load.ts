import { readFileSync } from 'node:fs'
import { dirname, extname, isAbsolute, resolve } from 'node:path'
import {
  type ChatwireError,
  type ConfigProblem,
  ConfigSchemaCompiler,
  toConfigProblems,
} from '@chatwire/core'
import { parse as parseYaml } from 'yaml'
import { createServerError, type ServerErrorCode } from '../error-codes.js'
import { substituteEnv } from './env.js'
import { serverConfigSchema } from './schema.js'
import type { LoadedConfig, ServerConfig } from './types.js'

/** A config problem with the code of the check that found it. */
export interface CodedConfigProblem extends ConfigProblem {
  code: string
}

export interface LoadConfigOptions {
  /** Environment used for `${NAME}` substitution; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Folder relative paths are resolved against; defaults to the file's folder or the working directory. */
  baseDir?: string
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) {
      deepFreeze(child)
    }
  }
  return value
}

/** Formats problems one per line, each with its pointer, the fix and the code. */
export function describeProblems(problems: readonly CodedConfigProblem[]): string {
  return problems.map((p) => `  - ${p.pointer}: ${p.message}; fix: ${p.fix} [${p.code}]`).join('\n')
}

export function configInvalidError(problems: readonly CodedConfigProblem[], source: string): ChatwireError {
  return createServerError(
    'CHATWIRE_ERR_CONFIG_INVALID',
    `${problems.length} config problem(s) in ${source}:\n${describeProblems(problems)}`,
    { details: { problems } },
  )
}

function coded(problems: readonly ConfigProblem[], code: ServerErrorCode): CodedConfigProblem[] {
  return problems.map((problem) => ({ code, ...problem }))
}

/**
 * Substitutes `${ENV}` references, validates against the server schema (filling in defaults),
 * resolves the store path and freezes the result. Throws CHATWIRE_ERR_CONFIG_INVALID listing
 * every problem at once.
 */
export function resolveConfig(
  raw: unknown,
  options: LoadConfigOptions & { source?: string } = {},
): LoadedConfig {
  const baseDir = resolve(options.baseDir ?? process.cwd())
  const source = options.source ?? 'the config'
  const envProblems: ConfigProblem[] = []
  const substituted = substituteEnv(raw ?? {}, options.env ?? process.env, envProblems)

  const validate = new ConfigSchemaCompiler().compile(serverConfigSchema)
  const problems = coded(envProblems, 'CHATWIRE_ERR_CONFIG_ENV_MISSING')
  if (!validate(substituted)) {
    problems.push(
      ...coded(
        toConfigProblems(validate.errors, { schema: serverConfigSchema }),
        'CHATWIRE_ERR_CONFIG_INVALID',
      ),
    )
  }
  if (problems.length > 0) {
    throw configInvalidError(problems, source)
  }

  const config = substituted as ServerConfig
  if (!isAbsolute(config.store.path)) {
    config.store.path = resolve(baseDir, config.store.path)
  }
  return { config: deepFreeze(config), file: undefined, baseDir }
}

/** Parses a YAML or JSON document; `.json` files are parsed as JSON, everything else as YAML. */
function parseDocument(text: string, file: string): unknown {
  try {
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw createServerError(
      'CHATWIRE_ERR_CONFIG_UNREADABLE',
      `config file ${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      { cause: error },
    )
  }
}

/** Reads, substitutes and validates a YAML or JSON config file. */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): LoadedConfig {
  const path = resolve(file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw createServerError(
      code === 'ENOENT' ? 'CHATWIRE_ERR_CONFIG_NOT_FOUND' : 'CHATWIRE_ERR_CONFIG_UNREADABLE',
      code === 'ENOENT'
        ? `config file ${path} does not exist; pass --config with the path of a YAML or JSON file`
        : `config file ${path} could not be read (${code ?? 'unknown error'}); check its permissions`,
      { cause: error },
    )
  }

  const loaded = resolveConfig(parseDocument(text, path), {
    ...options,
    baseDir: options.baseDir ?? dirname(path),
    source: path,
  })
  return { ...loaded, file: path }
}
