import type { NormalizedEvent } from '@chatwire/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type EmbeddedPlugin, loadTelegram } from '../dist/index.js'
import { hosts, type RunningHost } from './hosts.js'

const SECRET_TOKEN = 'embedding-secret-token'
const update = {
  update_id: 700001,
  message: {
    message_id: 5,
    from: { id: 31, first_name: 'Grace' },
    chat: { id: 31, type: 'private' },
    date: 1764849600,
    text: 'hello from the embedding test',
  },
}

function post(url: string, body: string, secretToken?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secretToken !== undefined) {
    headers['x-telegram-bot-api-secret-token'] = secretToken
  }
  return fetch(`${url}/webhooks/telegram`, { method: 'POST', headers, body })
}

for (const [name, start] of Object.entries(hosts)) {
  describe(`embedding in ${name}`, () => {
    let plugin: EmbeddedPlugin
    let host: RunningHost
    let stored: NormalizedEvent[]

    beforeEach(async () => {
      stored = []
      plugin = await loadTelegram({ botToken: '424242:EMBED-token', secretToken: SECRET_TOKEN })
      host = await start(plugin.processor, async (events) => {
        stored.push(...events)
      })
    })

    afterEach(async () => {
      await host.close()
      await plugin.close()
    })

    it('accepts an update and stores its event', async () => {
      const response = await post(host.url, JSON.stringify(update), SECRET_TOKEN)

      expect(response.status).toBe(200)
      expect(stored).toHaveLength(1)
      expect(stored[0]).toMatchObject({
        kind: 'message.received',
        platform: 'telegram',
        channelAccountId: '424242',
        message: { type: 'text', text: 'hello from the embedding test' },
      })
    })

    it('rejects a wrong secret token', async () => {
      const response = await post(host.url, JSON.stringify(update), 'not-the-token')

      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: { code: 'CHATWIRE_ERR_SIGNATURE_INVALID' } })
      expect(stored).toHaveLength(0)
    })

    it('rejects an oversized body', async () => {
      const response = await post(host.url, `{"pad":"${'x'.repeat(1024 * 1024)}"}`, SECRET_TOKEN)

      expect(response.status).toBe(413)
      expect(stored).toHaveLength(0)
    })

    it('responds 5xx when storing fails', async () => {
      await host.close()
      host = await start(plugin.processor, async () => {
        throw new Error('disk full')
      })

      const response = await post(host.url, JSON.stringify(update), SECRET_TOKEN)

      expect(response.status).toBe(500)
    })
  })
}
