import { ChatwireError } from '@chatwire/core'

/** Output streams of the CLI, replaced in tests. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

/** Exit codes: 0 success, 1 a rejected request or failed operation, 2 bad usage or config. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** The command that runs this CLI from a clone, where pnpm may not be installed globally. */
export const CLI_COMMAND = 'npx -y pnpm@10.34.9 chatwire'

function causeChain(error: Error): string {
  const lines: string[] = []
  let cause: unknown = error.cause
  while (cause instanceof Error) {
    lines.push(`caused by: ${cause.stack ?? cause.message}`)
    cause = cause.cause
  }
  return lines.join('\n')
}

/**
 * Prints an error with its code (and the config problems it lists) and returns the exit code.
 * A ChatwireError is an expected failure, so only its message is printed unless `debug` is set.
 * Any other error is a bug: its message is printed with a pointer to `--debug`, which adds the
 * stack trace and every cause.
 */
export function reportError(io: CliIo, error: unknown, debug = false): number {
  if (error instanceof ChatwireError) {
    io.err(`error ${error.code}: ${error.message}`)
    if (debug) {
      io.err([error.stack ?? '', causeChain(error)].filter((text) => text !== '').join('\n'))
    }
    return error.code.startsWith('CHATWIRE_ERR_CONFIG_') || error.code === 'CHATWIRE_ERR_SERVER_CLI_USAGE'
      ? EXIT_USAGE
      : EXIT_FAILED
  }
  if (!(error instanceof Error)) {
    io.err(`error: ${String(error)}`)
    return EXIT_FAILED
  }
  if (debug) {
    io.err(
      [`error: ${error.stack ?? error.message}`, causeChain(error)].filter((text) => text !== '').join('\n'),
    )
  } else {
    io.err(
      `error: ${error.message}\n(an unexpected error: run the command again with --debug for the stack trace)`,
    )
  }
  return EXIT_FAILED
}
