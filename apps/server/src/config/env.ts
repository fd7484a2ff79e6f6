import type { ConfigProblem } from '@chatwire/core'

/** `${NAME}` or `${NAME:-fallback}`; `$${` writes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * Replaces `${NAME}` references in every string of a parsed config with environment variables,
 * so secrets stay out of the file. A reference to an unset variable without a `:-` fallback is
 * a problem at that string's JSON pointer; every problem is collected before returning.
 */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  pointer = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) {
        return '${'
      }
      const found = env[name]
      if (found !== undefined && found !== '') {
        return found
      }
      if (fallback !== undefined) {
        return fallback
      }
      problems.push({
        pointer: pointer === '' ? '/' : pointer,
        message: `environment variable ${name} is not set`,
        fix: `export ${name} before starting, or write \${${name}:-default} to give a fallback`,
      })
      return match
    })
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => substituteEnv(item, env, problems, `${pointer}/${index}`))
  }
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) {
      result[key] = substituteEnv(child, env, problems, `${pointer}/${escapePointerSegment(key)}`)
    }
    return result
  }
  return value
}
