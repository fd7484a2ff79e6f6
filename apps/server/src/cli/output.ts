import { ChatwireError } from '@chatwire/core'

/** Where the CLI writes; replaced in tests. */
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

/** Prints an error with its code (and the config problems it lists) and returns the exit code. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof ChatwireError) {
    io.err(`error ${error.code}: ${error.message}`)
    return error.code.startsWith('CHATWIRE_ERR_CONFIG_') || error.code === 'CHATWIRE_ERR_SERVER_CLI_USAGE'
      ? EXIT_USAGE
      : EXIT_FAILED
  }
  io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return EXIT_FAILED
}
