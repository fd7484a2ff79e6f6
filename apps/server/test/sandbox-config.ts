import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'

export interface SandboxPorts {
  server: number
  engine: number
  graph: number
}

/** Returns a port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export async function freeSandboxPorts(): Promise<SandboxPorts> {
  return { server: await freePort(), engine: await freePort(), graph: await freePort() }
}

/**
 * Writes the shipped sandbox config with `ports` into `dir` as `sandbox.yaml` and returns its
 * path; the store path stays relative (`./.chatwire/chatwire.db`).
 */
export function writeSandboxConfig(dir: string, ports: SandboxPorts, logLevel = 'silent'): string {
  const config = parseYaml(readFileSync(join(import.meta.dirname, '../sandbox.yaml'), 'utf8'))
  config.server.port = ports.server
  config.engine.target = `127.0.0.1:${ports.engine}`
  config.securityHub.target = `127.0.0.1:${ports.engine}`
  config.plugins[0].config.graphApiBaseUrl = `http://127.0.0.1:${ports.graph}`
  config.logging.level = logLevel
  const file = join(dir, 'sandbox.yaml')
  writeFileSync(file, stringifyYaml(config))
  return file
}
