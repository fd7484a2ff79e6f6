import type { DestinationStream } from 'pino'

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}

/** pino fields that every line carries and the sandbox output leaves out. */
const OMITTED_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg'])

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return /[\s"=]/.test(value) ? JSON.stringify(value) : value
  }
  return JSON.stringify(value) ?? String(value)
}

function formatError(value: unknown): string {
  if (typeof value !== 'object' || value === null) {
    return formatValue(value)
  }
  const { code, message } = value as { code?: unknown; message?: unknown }
  return formatValue([code, message].filter((part) => typeof part === 'string').join(' '))
}

/**
 * Formats one pino JSON line as `HH:MM:SS WARN  [component] message key=value …`. A line that is
 * not JSON is returned unchanged, so nothing written to the logger is lost.
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.trimEnd()
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : ''
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5)
  const component = typeof entry.component === 'string' ? ` [${entry.component}]` : ''
  const fields: string[] = []
  for (const [key, value] of Object.entries(entry)) {
    if (OMITTED_FIELDS.has(key) || key === 'component' || value === undefined) {
      continue
    }
    fields.push(`${key}=${key === 'err' || key === 'error' ? formatError(value) : formatValue(value)}`)
  }
  const message = typeof entry.msg === 'string' ? ` ${entry.msg}` : ''
  return `${time} ${level}${component}${message}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}`
}

/** Creates a pino destination that writes every log line through `formatLogLine` to `print`. */
export function prettyLogDestination(print: (line: string) => void): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line.trim() !== '') {
          print(formatLogLine(line))
        }
      }
    },
  }
}
