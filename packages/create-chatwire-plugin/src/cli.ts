#!/usr/bin/env node
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { generatePlugin } from './generate.js'

const USAGE = `Usage: create-chatwire-plugin <name> [--dir <folder>] [--platform <id>]

Scaffolds a Chatwire platform plugin package that builds and passes the conformance suite.

  <name>             platform id (acme) or npm package name (@acme/chatwire-plugin)
  --dir <folder>     folder to create; defaults to the package name's last segment
  --platform <id>    platform id used in events and routes; defaults to one derived from <name>
  -h, --help         show this help
`

async function main(argv: string[]): Promise<number> {
  const options = {
    dir: { type: 'string' },
    platform: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true })
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 2
  }

  if (parsed.values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const [name, ...extra] = parsed.positionals
  if (name === undefined || extra.length > 0) {
    process.stderr.write(
      `expected exactly one plugin name, received ${parsed.positionals.length}\n\n${USAGE}`,
    )
    return 2
  }

  try {
    const generated = await generatePlugin({
      name,
      directory: parsed.values.dir,
      platform: parsed.values.platform,
    })
    const folder = relative(process.cwd(), generated.directory) || '.'
    process.stdout.write(
      `Created ${generated.names.packageName} (platform "${generated.names.platform}") in ${folder}\n\n` +
        `Next:\n  cd ${folder}\n  npm install\n  npm run build\n  npm test\n`,
    )
    return 0
  } catch (error) {
    process.stderr.write(
      `create-chatwire-plugin: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
