import { checkEvent } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import { parseUpdate, readUpdate } from '../src/index.js'
import { callbackUpdate, diceUpdate, editedUpdate, photoUpdate, pollUpdate, textUpdate } from './samples.js'

const RECEIVED_AT = Date.UTC(2026, 11, 4, 12, 0, 0)

function parse(update: object) {
  const events = parseUpdate(readUpdate(JSON.stringify(update)), '123456', RECEIVED_AT)
  for (const event of events) {
    expect(checkEvent(event)).toEqual([])
  }
  return events
}

describe('parseUpdate', () => {
  it('maps a text message', () => {
    const [event] = parse(textUpdate)

    expect(event).toMatchObject({
      kind: 'message.received',
      platform: 'telegram',
      channelAccountId: '123456',
      conversationId: '4242',
      userId: '4242',
      platformMessageId: '17',
      occurredAt: '2025-12-04T12:00:00.000Z',
      receivedAt: '2026-12-04T12:00:00.000Z',
      message: { type: 'text', text: 'hello bot' },
      userName: 'ada',
      replyToMessageId: '12',
    })
    expect(event?.raw).toEqual(textUpdate)
  })

  it('maps an edited message to a conversation update', () => {
    const [event] = parse(editedUpdate)

    expect(event).toMatchObject({
      kind: 'conversation.updated',
      platformMessageId: '17',
      update: { type: 'other', text: 'hello bot, edited' },
    })
  })

  it('maps a callback query to a button interaction', () => {
    const [event] = parse(callbackUpdate)

    expect(event).toMatchObject({
      kind: 'interaction',
      conversationId: '-100777',
      userId: '4242',
      platformMessageId: '18',
      occurredAt: '2025-12-04T12:01:40.000Z',
      interaction: { type: 'button', actionId: 'plan:pro', payload: 'plan:pro', triggerId: '5550001' },
    })
  })

  it('takes the largest photo size', () => {
    const [event] = parse(photoUpdate)

    expect(event).toMatchObject({
      kind: 'message.received',
      message: { type: 'media', mediaType: 'image', mediaId: 'large', caption: 'the view' },
    })
  })

  it('keeps unmodelled messages and updates as unsupported', () => {
    const [dice] = parse(diceUpdate)
    const [poll] = parse(pollUpdate)

    expect(dice).toMatchObject({ kind: 'unsupported', itemType: 'message', platformMessageId: '20' })
    expect(poll).toMatchObject({ kind: 'unsupported', itemType: 'poll', conversationId: '', userId: '' })
  })

  it('derives ids from the bot and update_id', () => {
    const first = parse(textUpdate)[0]?.id
    const again = parseUpdate(readUpdate(JSON.stringify(textUpdate)), '123456', RECEIVED_AT + 60_000)[0]?.id
    const otherBot = parseUpdate(readUpdate(JSON.stringify(textUpdate)), '654321', RECEIVED_AT)[0]?.id

    expect(again).toBe(first)
    expect(otherBot).not.toBe(first)
    expect(first).toMatch(/^telegram:message\.received:[0-9a-f]{40}$/)
  })
})

describe('readUpdate', () => {
  it.each([
    ['not JSON', '{"update_id":'],
    ['an array', '[]'],
    ['no update_id', '{"message":{}}'],
    ['a string update_id', '{"update_id":"1"}'],
  ])('rejects %s', (_label, text) => {
    expect(() => readUpdate(text)).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_MALFORMED_BODY', statusCode: 400 }),
    )
  })
})
