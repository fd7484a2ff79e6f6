import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/logger.js'

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk))
      callback()
    },
  })
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  }
}

describe('createLogger', () => {
  it('should redact authorization, signatures, tokens and secrets', () => {
    const { stream, lines } = capture()
    const logger = createLogger({ level: 'info', destination: stream })
    logger.info(
      {
        req: {
          headers: { authorization: 'Bearer abc', 'x-hub-signature-256': 'sha256=deadbeef', host: 'x' },
        },
        config: {
          accessToken: 'token-1',
          appSecrets: ['s1'],
          verifyToken: 'v1',
          graphApiBaseUrl: 'http://g',
        },
        sendToken: 'token-2',
      },
      'line',
    )
    const [line] = lines()
    const text = JSON.stringify(line)
    for (const secret of ['Bearer abc', 'deadbeef', 'token-1', 's1', 'v1', 'token-2']) {
      expect(text).not.toContain(secret)
    }
    expect(text).toContain('http://g')
    expect(text).toContain('"host":"x"')
  })
})
