import { createRequire } from 'node:module'
import { Command, InvalidArgumentError, Option } from 'commander'
import { DEFAULT_SAMPLE_URL } from '../sandbox/send-sample.js'
import {
  dlqListCommand,
  dlqReplayCommand,
  inspectCommand,
  pluginsCommand,
  sandboxCommand,
  sendSampleCommand,
  serveCommand,
  validateConfigCommand,
} from './commands.js'
import { type CliIo, EXIT_USAGE, processIo, reportError } from './output.js'

/** Queues of the SQLite store that can contain dead letters. */
const QUEUES = ['inbound', 'outbound']

const SERVER_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version

const DEFAULT_CONFIG = process.env.CHATWIRE_CONFIG ?? 'chatwire.yaml'

function configOption(): Option {
  return new Option('-c, --config <file>', 'YAML or JSON config file (env CHATWIRE_CONFIG)').default(
    DEFAULT_CONFIG,
  )
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function positiveInteger(value: string): number {
  const parsed = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.')
  }
  return parsed
}

/** Builds the `chatwire` command tree; each action resolves to a process exit code. */
export function createProgram(
  io: CliIo = processIo,
  setExitCode: (code: number) => void = (code) => {
    process.exitCode = code
  },
): Command {
  const run = (action: () => Promise<number>) => async () => {
    try {
      setExitCode(await action())
    } catch (error) {
      setExitCode(reportError(io, error, program.opts<{ debug: boolean }>().debug))
    }
  }

  const program = new Command('chatwire')
    .description('Connects messaging platforms to a conversation engine over gRPC.')
    .version(SERVER_VERSION, '-V, --version', 'print the @chatwire/server version')
    .option('--debug', 'print stack traces and causes with every error', false)
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .exitOverride((error) => {
      setExitCode(error.exitCode === 0 ? 0 : EXIT_USAGE)
      throw error
    })

  program
    .command('serve')
    .description('start the HTTP server and the workers')
    .addOption(configOption())
    .action((options: { config: string }) => run(() => serveCommand(options.config))())

  program
    .command('validate-config')
    .description('validate the config and every plugin config, reporting all problems at once')
    .addOption(configOption())
    .action((options: { config: string }) => run(() => validateConfigCommand(io, options.config))())

  program
    .command('plugins')
    .description('list the loaded plugins with their versions and webhook routes')
    .addOption(configOption())
    .option('--json', 'print JSON', false)
    .action((options: { config: string; json: boolean }) =>
      run(() => pluginsCommand(io, options.config, options.json))(),
    )

  const dlq = program.command('dlq').description('inspect and replay the dead-letter queue')
  dlq
    .command('list')
    .description('list dead letters, oldest first')
    .addOption(configOption())
    .addOption(new Option('--queue <name>', 'only this queue').choices(QUEUES))
    .option('--limit <count>', 'maximum number of dead letters to list', positiveInteger, 100)
    .option('--json', 'print JSON', false)
    .action((options: { config: string; queue?: string; limit: number; json: boolean }) =>
      run(() => dlqListCommand(io, options.config, options))(),
    )
  dlq
    .command('replay')
    .description('move dead letters back to their queue with fresh attempts')
    .argument('[ids...]', 'dead letter ids')
    .addOption(configOption())
    .option('--all', 'replay every dead letter', false)
    .addOption(new Option('--queue <name>', 'only this queue').choices(QUEUES))
    .action((ids: string[], options: { config: string; all: boolean; queue?: string }) =>
      run(() => dlqReplayCommand(io, options.config, ids, options))(),
    )

  program
    .command('inspect')
    .description('verify and parse one captured webhook as the server would, without starting it')
    .addOption(configOption())
    .requiredOption('--plugin <route>', 'plugin route, as in /webhooks/<route>')
    .requiredOption('--body <file>', 'file holding the raw request body')
    .addOption(new Option('--method <method>', 'HTTP method').choices(['GET', 'POST']).default('POST'))
    .option('--query <string>', 'query string, for GET handshakes')
    .option(
      '--header <line>',
      "request header as 'Name: value'; repeatable. Without a Content-Type header, a POST body that " +
        'parses as JSON is sent as application/json',
      collect,
      [],
    )
    .option('--now <unixSeconds>', 'fix the clock for replay-window checks')
    .action(
      (options: {
        config: string
        plugin: string
        body: string
        method: string
        query?: string
        header: string[]
        now?: string
      }) => run(() => inspectCommand(io, options))(),
    )

  program
    .command('sandbox')
    .description('start the reference engine, a Graph API capture server and the server on 127.0.0.1')
    .option('-c, --config <file>', 'sandbox config file (default: sandbox.yaml of @chatwire/server)')
    .action((options: { config?: string }) => run(() => sandboxCommand(io, options))())

  program
    .command('send-sample')
    .description('sign and post a sample inbound text webhook')
    .argument('<platform>', 'platform of the sample (whatsapp)')
    .option('--url <url>', 'webhook URL', DEFAULT_SAMPLE_URL)
    .option('--secret <secret>', 'signing secret (default: the sandbox app secret)')
    .option('--text <text>', 'message text', 'hello')
    .option('--from <phone>', 'sender phone number')
    .option(
      '--out <file>',
      'write the signed body to this file and print the inspect command, instead of posting',
    )
    .action(
      (
        platform: string,
        options: { url?: string; secret?: string; text?: string; from?: string; out?: string },
      ) => run(() => sendSampleCommand(io, platform, options))(),
    )

  return program
}

/** Parses `argv` and runs the command; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0
  const program = createProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch {
    // commander already printed the usage error; exitOverride recorded its code.
  }
  return exitCode
}
