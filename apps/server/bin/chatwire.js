#!/usr/bin/env node
// The `chatwire` bin. It is committed, unlike dist/, so pnpm can link it on a fresh
// install before anything is built. It loads the built CLI, or prints how to build it.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = new URL('../dist/cli.js', import.meta.url)

if (!existsSync(cli)) {
  process.stderr.write(
    `chatwire: ${fileURLToPath(cli)} does not exist yet; run pnpm build first ` +
      '(from the repository root: npx -y pnpm@10.34.9 build)\n',
  )
  process.exit(1)
}
await import(cli.href)
