import { isAbsolute, relative } from 'node:path'
import { CLI_COMMAND } from '../cli/output.js'
import { DEFAULT_SAMPLE_URL } from './send-sample.js'

/** API key of the reference engine's sandbox data with the `dlq:*` and `plugins:read` permissions. */
export const SANDBOX_ADMIN_KEY = 'sandbox-admin-key'

export interface BannerFacts {
  engineAddress: string
  captureUrl: string
  storePath: string
  /** Base URL of the server, such as `http://127.0.0.1:8080`. */
  serverUrl: string
  webhookUrl: string
  /** Absolute path of the sandbox config file. */
  configFile: string
  /** Folder the printed commands run in. */
  cwd: string
}

/** Returns `file` relative to `cwd` when it lies inside it, else the absolute path. */
export function displayPath(file: string, cwd: string): string {
  const path = relative(cwd, file)
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path
}

/** Returns the send-sample command for `webhookUrl`, with `--url` unless it is the default. */
export function sendSampleCommandLine(webhookUrl: string, text: string): string {
  const url = webhookUrl === DEFAULT_SAMPLE_URL ? '' : ` --url ${webhookUrl}`
  return `${CLI_COMMAND} send-sample whatsapp --text "${text}"${url}`
}

/** Builds the lines the sandbox prints once everything listens. */
export function sandboxBanner(facts: BannerFacts): string {
  const config = displayPath(facts.configFile, facts.cwd)
  return `Chatwire sandbox is running.
  reference engine (MCP Engine + Security Hub): ${facts.engineAddress}
  Graph API capture server:                      ${facts.captureUrl}
  store:                                         ${facts.storePath}
  webhook URL:                                   ${facts.webhookUrl}

Send a signed sample WhatsApp message from another terminal, in ${facts.cwd}:
  ${sendSampleCommandLine(facts.webhookUrl, 'hello')}

Try next:
  ${sendSampleCommandLine(facts.webhookUrl, 'help')}
  curl -H "Authorization: Bearer ${SANDBOX_ADMIN_KEY}" ${facts.serverUrl}/admin/dead-letters
  curl ${facts.serverUrl}/metrics
  ${CLI_COMMAND} dlq list -c ${config}
Press Ctrl+C to stop.`
}
