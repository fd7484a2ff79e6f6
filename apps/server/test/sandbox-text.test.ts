import { describe, expect, it } from 'vitest'
import { displayPath, sandboxBanner, sendSampleCommandLine } from '../src/sandbox/banner.js'
import { formatLogLine } from '../src/sandbox/pretty-log.js'

describe('sendSampleCommandLine', () => {
  it('should leave out --url for the default URL', () => {
    expect(sendSampleCommandLine('http://127.0.0.1:8080/webhooks/whatsapp', 'hello')).toBe(
      'npx -y pnpm@10.34.9 chatwire send-sample whatsapp --text "hello"',
    )
  })

  it('should add --url for another port', () => {
    expect(sendSampleCommandLine('http://127.0.0.1:9090/webhooks/whatsapp', 'hello')).toBe(
      'npx -y pnpm@10.34.9 chatwire send-sample whatsapp --text "hello" --url http://127.0.0.1:9090/webhooks/whatsapp',
    )
  })
})

describe('sandboxBanner', () => {
  it('should show the config path relative to the command folder', () => {
    const banner = sandboxBanner({
      engineAddress: '127.0.0.1:50051',
      captureUrl: 'http://127.0.0.1:8089',
      storePath: '/repo/apps/server/.chatwire/chatwire.db',
      serverUrl: 'http://127.0.0.1:8080',
      webhookUrl: 'http://127.0.0.1:8080/webhooks/whatsapp',
      configFile: '/repo/apps/server/sandbox.yaml',
      cwd: '/repo',
    })
    expect(banner).toContain('  npx -y pnpm@10.34.9 chatwire send-sample whatsapp --text "hello"\n')
    expect(banner).toContain('  npx -y pnpm@10.34.9 chatwire send-sample whatsapp --text "help"\n')
    expect(banner).toContain(
      '  curl -H "Authorization: Bearer sandbox-admin-key" http://127.0.0.1:8080/admin/dead-letters\n',
    )
    expect(banner).toContain('  npx -y pnpm@10.34.9 chatwire dlq list -c apps/server/sandbox.yaml\n')
  })

  it('should keep a path outside the folder absolute', () => {
    expect(displayPath('/elsewhere/sandbox.yaml', '/repo')).toBe('/elsewhere/sandbox.yaml')
  })
})

describe('formatLogLine', () => {
  it('should print a pino warning on one line', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      pid: 1,
      hostname: 'h',
      service: 'chatwire',
      component: 'grpc',
      target: '127.0.0.1:50051',
      err: {
        type: 'ChatwireError',
        code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
        message: 'engine down',
        stack: 'at x',
      },
      msg: 'health check failed',
    })
    expect(formatLogLine(`${line}\n`)).toBe(
      '03:04:05 WARN  [grpc] health check failed  target=127.0.0.1:50051 err="CHATWIRE_ERR_GRPC_UNAVAILABLE engine down"',
    )
  })

  it('should keep a line that is not JSON', () => {
    expect(formatLogLine('plain text\n')).toBe('plain text')
  })
})
