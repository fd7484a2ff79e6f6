import { openSqliteStore } from '@chatwire/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { INBOUND_QUEUE, OUTBOUND_QUEUE } from '../src/intake.js'
import {
  sampleMessageId,
  whatsappStatusWebhook,
  whatsappTextWebhook,
} from '../src/sandbox/whatsapp-sample.js'
import { callsFor, type Stack, startStack, waitFor } from './helpers.js'

let stack: Stack | undefined

afterEach(async () => {
  await stack?.close()
  stack = undefined
})

describe('pipeline end to end', () => {
  it('should deliver a reply for a signed text webhook and track its delivery', async () => {
    stack = await startStack()
    const messageId = sampleMessageId()
    const topics: string[] = []
    for (const topic of ['webhook.received', 'message.received', 'message.sent', 'delivery.status']) {
      stack.server.bus.subscribe(topic, () => {
        topics.push(topic)
      })
    }

    const response = await stack.post(whatsappTextWebhook({ messageId, from: '15550001111', text: 'hello' }))
    expect(response.status).toBe(200)

    await waitFor(() => stack!.capture.messages.length === 1, 10_000, 'the reply at the Graph stand-in')
    const engineCall = stack.engine.receivedMessages.find(
      (message) => message.request.messageId === messageId,
    )
    expect(engineCall?.request.tenantId).toBe('demo')
    expect(engineCall?.request.content).toBe('hello')
    expect(engineCall?.request.userId).toBe('15550001111')

    const reply = stack.capture.messages[0]!
    expect(reply.phoneNumberId).toBe('100000000000001')
    expect(reply.authorization).toBe('Bearer sandbox-token')
    expect(reply.body.to).toBe('15550001111')
    expect(reply.body.type).toBe('text')
    expect((reply.body.text as { body: string }).body).toBe('Hello! How can I help you today?')

    const wamid = reply.messageId!
    await waitFor(
      async () => (await stack!.server.store.deliveries.get(wamid)) !== undefined,
      5_000,
      'the sent record',
    )
    expect((await stack.server.store.deliveries.get(wamid))?.status).toBe('sent')

    const status = await stack.post(
      whatsappStatusWebhook({ messageId: wamid, recipientId: '15550001111', status: 'delivered' }),
    )
    expect(status.status).toBe(200)
    await waitFor(
      async () => (await stack!.server.store.deliveries.get(wamid))?.status === 'delivered',
      5_000,
      'the delivered state',
    )
    expect(await stack.server.store.queue.depth(INBOUND_QUEUE)).toBe(0)
    expect(await stack.server.store.queue.depth(OUTBOUND_QUEUE)).toBe(0)
    expect(topics.sort()).toEqual(
      ['delivery.status', 'message.received', 'message.sent', 'webhook.received', 'webhook.received'].sort(),
    )
  })

  it('should process a redelivered and a concurrently duplicated webhook once', async () => {
    stack = await startStack()
    const messageId = sampleMessageId()
    const body = whatsappTextWebhook({ messageId, text: 'where is my order' })

    expect((await stack.post(body)).status).toBe(200)
    expect((await stack.post(body)).status).toBe(200)
    const concurrentId = sampleMessageId()
    const concurrentBody = whatsappTextWebhook({ messageId: concurrentId, from: '15550002222', text: 'hi' })
    const both = await Promise.all([stack.post(concurrentBody), stack.post(concurrentBody)])
    expect(both.map((result) => result.status)).toEqual([200, 200])

    await waitFor(() => stack!.capture.messages.length >= 2, 10_000, 'two replies')
    // Give a wrongly queued duplicate time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(callsFor(stack.engine, messageId)).toBe(1)
    expect(callsFor(stack.engine, concurrentId)).toBe(1)
    expect(stack.capture.messages).toHaveLength(2)
  })

  it('should keep per-conversation order', async () => {
    stack = await startStack()
    const ids = [sampleMessageId(), sampleMessageId(), sampleMessageId()]
    const texts = ['first', 'second', 'third']
    for (const [index, messageId] of ids.entries()) {
      const timestamp = 1_800_000_000 + index
      expect(
        (await stack.post(whatsappTextWebhook({ messageId, text: texts[index], timestamp }))).status,
      ).toBe(200)
    }
    await waitFor(() => stack!.capture.messages.length === 3, 10_000, 'three replies')
    const seen = stack.engine.receivedMessages.map((message) => message.request.content)
    expect(seen).toEqual(texts)
  })

  it('should wait out a 429 with Retry-After and then deliver', async () => {
    let calls = 0
    stack = await startStack({
      respond: () => {
        calls += 1
        if (calls > 1) {
          return undefined
        }
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429 } },
        }
      },
    })
    const startedAt = Date.now()
    expect((await stack.post(whatsappTextWebhook({ text: 'hello' }))).status).toBe(200)

    await waitFor(
      () => stack!.capture.messages.some((message) => message.messageId !== undefined),
      10_000,
      'the retried send',
    )
    const [refused, accepted] = stack.capture.messages
    expect(refused?.messageId).toBeUndefined()
    expect(accepted!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(1000)
    expect(accepted!.receivedAt - startedAt).toBeLessThan(8000)
    expect(await stack.server.store.queue.listDeadLetters()).toHaveLength(0)
  })

  it('should dead-letter a permanent send failure at once and re-send it on replay', async () => {
    let failing = true
    stack = await startStack({
      respond: () =>
        failing
          ? {
              status: 400,
              body: { error: { message: 'Message undeliverable', type: 'OAuthException', code: 131026 } },
            }
          : undefined,
    })
    expect((await stack.post(whatsappTextWebhook({ text: 'hello' }))).status).toBe(200)

    await waitFor(
      async () => (await stack!.server.store.queue.listDeadLetters()).length === 1,
      10_000,
      'a dead letter',
    )
    const [letter] = await stack.server.store.queue.listDeadLetters()
    expect(letter?.queue).toBe(OUTBOUND_QUEUE)
    expect(letter?.attempts).toBe(1)
    expect(letter?.lastError).toContain('131026')
    expect(stack.capture.messages).toHaveLength(1)

    failing = false
    const { runCli } = await import('../src/cli/program.js')
    const { writeFileSync } = await import('node:fs')
    const configFile = `${stack.dir}/chatwire.json`
    writeFileSync(configFile, JSON.stringify({ store: { path: stack.loaded.config.store.path } }))
    const output: string[] = []
    const exitCode = await runCli(['dlq', 'replay', letter!.id, '--config', configFile], {
      out: (text) => output.push(text),
      err: (text) => output.push(text),
    })
    expect(exitCode).toBe(0)
    expect(output.join('')).toContain('replayed 1 dead letter')

    await waitFor(
      () => stack!.capture.messages.some((message) => message.messageId !== undefined),
      10_000,
      'the re-sent reply',
    )
    expect(await stack.server.store.queue.listDeadLetters()).toHaveLength(0)
  })

  it('should drain events queued during an engine outage', async () => {
    stack = await startStack({ staticChannels: true })
    await waitFor(async () => (await fetch(`${stack!.url}/readyz`)).status === 200, 10_000, 'readiness')
    await stack.stopEngine()

    const ids = Array.from({ length: 5 }, () => sampleMessageId())
    for (const [index, messageId] of ids.entries()) {
      const body = whatsappTextWebhook({ messageId, from: `1555000300${index}`, text: 'hello' })
      expect((await stack.post(body)).status).toBe(200)
    }

    await waitFor(() => engineBreakerOpen(stack!), 10_000, 'the engine breaker to open')
    await waitFor(async () => (await fetch(`${stack!.url}/readyz`)).status === 503, 10_000, '/readyz to fail')
    expect(await stack.server.store.queue.depth(INBOUND_QUEUE)).toBe(5)
    expect(await stack.server.store.queue.listDeadLetters()).toHaveLength(0)

    await stack.restartEngine()
    await waitFor(() => stack!.capture.messages.length === 5, 15_000, 'the backlog to drain')
    for (const messageId of ids) {
      expect(callsFor(stack.engine, messageId)).toBe(1)
    }
    expect(await stack.server.store.queue.depth(INBOUND_QUEUE)).toBe(0)
    expect(await stack.server.store.queue.listDeadLetters()).toHaveLength(0)
    await waitFor(
      async () => (await fetch(`${stack!.url}/readyz`)).status === 200,
      10_000,
      '/readyz to recover',
    )
  })

  it('should lose no job on graceful stop', async () => {
    stack = await startStack()
    const ids = Array.from({ length: 20 }, () => sampleMessageId())
    await Promise.all(
      ids.map((messageId, index) =>
        stack!.post(whatsappTextWebhook({ messageId, from: `1555000400${index}`, text: 'hello' })),
      ),
    )
    await stack.server.stop('test stop')

    const store = openSqliteStore({ path: stack.loaded.config.store.path })
    const deadLetters = await store.queue.listDeadLetters()
    // Leasing is the store's way to read waiting jobs; the stopped server can no longer run them.
    const inbound = await store.queue.lease(INBOUND_QUEUE, { max: 100, leaseMs: 1000 })
    const outbound = await store.queue.lease(OUTBOUND_QUEUE, { max: 100, leaseMs: 1000 })
    await store.close()

    const queuedEvents = new Set(
      inbound.map((job) => (job.payload as { platformMessageId: string }).platformMessageId),
    )
    const queuedReplies = new Set(outbound.map((job) => (job.payload as { recipientId: string }).recipientId))
    const replied = new Set(stack.capture.messages.map((message) => String(message.body.to)))
    expect(deadLetters).toEqual([])
    for (const [index, messageId] of ids.entries()) {
      const user = `1555000400${index}`
      const accounted = replied.has(user) || queuedReplies.has(user) || queuedEvents.has(messageId)
      expect(accounted, messageId).toBe(true)
    }
  })

  it('should respond to a Meta verification GET with the challenge', async () => {
    stack = await startStack()
    const ok = await fetch(
      `${stack.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444`,
    )
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('1158201444')
    const wrong = await fetch(
      `${stack.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    )
    expect(wrong.status).toBe(403)
  })

  it('should leave no delivery state for a status of an unknown message', async () => {
    stack = await startStack()
    const body = whatsappStatusWebhook({ messageId: 'wamid.unknown', recipientId: '1555', status: 'read' })
    const response = await stack.post(body)
    expect(response.status).toBe(200)
    await waitFor(
      async () => (await stack!.server.store.queue.depth(INBOUND_QUEUE)) === 0,
      5_000,
      'the status job',
    )
    expect(await stack.server.store.deliveries.get('wamid.unknown')).toBeUndefined()
  })
})

async function engineBreakerOpen(current: Stack): Promise<boolean> {
  const metrics = await (await fetch(`${current.url}/metrics`)).text()
  return metrics.includes('chatwire_grpc_breaker_state{client="mcp-engine",state="open"} 1')
}
