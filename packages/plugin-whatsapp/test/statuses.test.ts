import { stableEventId } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import {
  messagesChange,
  notification,
  PHONE_NUMBER_ID,
  statusChange,
  TIMESTAMP,
  TIMESTAMP_ISO,
  USER_WA_ID,
} from './fixtures.js'
import { deliveryStatus, eventsOf, onlyEventOf, unsupportedItem } from './helpers.js'

const conversation = {
  id: 'conversation-1',
  expiration_timestamp: '1764936000',
  origin: { type: 'service' },
}
const pricing = { billable: true, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' }

describe('message statuses', () => {
  it('should normalize sent with conversation and pricing', async () => {
    const event = await onlyEventOf(
      statusChange({
        id: 'wamid.OUT1',
        status: 'sent',
        conversation,
        pricing,
        biz_opaque_callback_data: 'order-7',
      }),
    )

    expect(event).toEqual({
      id: stableEventId('whatsapp', 'message.status', 'wamid.OUT1', 'sent'),
      kind: 'message.status',
      platform: 'whatsapp',
      channelAccountId: PHONE_NUMBER_ID,
      conversationId: USER_WA_ID,
      userId: USER_WA_ID,
      platformMessageId: 'wamid.OUT1',
      occurredAt: TIMESTAMP_ISO,
      receivedAt: '2026-12-04T12:00:00.000Z',
      raw: {
        recipient_id: USER_WA_ID,
        timestamp: TIMESTAMP,
        id: 'wamid.OUT1',
        status: 'sent',
        conversation,
        pricing,
        biz_opaque_callback_data: 'order-7',
      },
      status: 'sent',
      recipientId: USER_WA_ID,
      conversation,
      pricing,
    })
  })

  it('should normalize delivered with pricing only', async () => {
    const event = await onlyEventOf(statusChange({ id: 'wamid.OUT1', status: 'delivered', pricing }))

    expect(event).toMatchObject({
      id: stableEventId('whatsapp', 'message.status', 'wamid.OUT1', 'delivered'),
      kind: 'message.status',
      status: 'delivered',
      recipientId: USER_WA_ID,
      platformMessageId: 'wamid.OUT1',
      pricing,
    })
    expect(deliveryStatus(event).conversation).toBeUndefined()
  })

  it('should normalize read without pricing or conversation', async () => {
    const event = await onlyEventOf(statusChange({ id: 'wamid.OUT1', status: 'read' }))

    expect(event).toMatchObject({ kind: 'message.status', status: 'read', platformMessageId: 'wamid.OUT1' })
    expect(deliveryStatus(event).pricing).toBeUndefined()
    expect(deliveryStatus(event).errors).toBeUndefined()
  })

  it('should normalize failed with its error details', async () => {
    const event = await onlyEventOf(
      statusChange({
        id: 'wamid.OUT2',
        status: 'failed',
        errors: [
          {
            code: 131049,
            title: 'This message was not delivered to maintain healthy ecosystem engagement.',
            message: 'This message was not delivered to maintain healthy ecosystem engagement.',
            error_data: {
              details:
                'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
            },
            href: 'https://developers.example.test/error-codes',
          },
        ],
      }),
    )

    expect(event).toMatchObject({
      id: stableEventId('whatsapp', 'message.status', 'wamid.OUT2', 'failed'),
      kind: 'message.status',
      status: 'failed',
      platformMessageId: 'wamid.OUT2',
      errors: [
        {
          code: '131049',
          title: 'This message was not delivered to maintain healthy ecosystem engagement.',
          message: 'This message was not delivered to maintain healthy ecosystem engagement.',
          details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
        },
      ],
    })
  })

  it('should normalize played for a voice message', async () => {
    const event = await onlyEventOf(statusChange({ id: 'wamid.OUT3', status: 'played' }))

    expect(event).toMatchObject({
      id: stableEventId('whatsapp', 'message.status', 'wamid.OUT3', 'played'),
      kind: 'message.status',
      status: 'played',
      recipientId: USER_WA_ID,
      occurredAt: TIMESTAMP_ISO,
    })
  })

  it('should give each status of one message its own id', async () => {
    const events = await eventsOf(
      notification([
        messagesChange({
          statuses: [
            { id: 'wamid.OUT4', status: 'sent', timestamp: TIMESTAMP, recipient_id: USER_WA_ID },
            { id: 'wamid.OUT4', status: 'delivered', timestamp: TIMESTAMP, recipient_id: USER_WA_ID },
          ],
        }),
      ]),
    )

    expect(events.map((event) => deliveryStatus(event).status)).toEqual(['sent', 'delivered'])
    expect(events[0]!.id).not.toBe(events[1]!.id)
  })

  it('should turn an unknown status into an unsupported event', async () => {
    const event = await onlyEventOf(statusChange({ id: 'wamid.OUT5', status: 'deleted' }))

    expect(event).toMatchObject({
      kind: 'unsupported',
      itemType: 'statuses',
      platformMessageId: 'wamid.OUT5',
      userId: USER_WA_ID,
      id: stableEventId('whatsapp', 'unsupported', 'wamid.OUT5', 'deleted'),
    })
  })
})

describe('value-level errors', () => {
  const rateLimit = {
    code: 130429,
    title: 'Rate limit hit',
    message: 'Rate limit hit',
    error_data: { details: 'Cloud API message throughput has been reached.' },
  }

  it('should turn each error into an unsupported event of type errors', async () => {
    const event = await onlyEventOf(notification([messagesChange({ errors: [rateLimit] })]))

    expect(event).toMatchObject({
      kind: 'unsupported',
      itemType: 'errors',
      channelAccountId: PHONE_NUMBER_ID,
      userId: '',
      conversationId: '',
      raw: rateLimit,
      errors: [
        {
          code: '130429',
          title: 'Rate limit hit',
          message: 'Rate limit hit',
          details: 'Cloud API message throughput has been reached.',
        },
      ],
    })
    expect(unsupportedItem(event).reason).toContain('130429')
  })

  it('should derive the same id from the same bytes', async () => {
    const body = notification([messagesChange({ errors: [rateLimit] })])
    const [first] = await eventsOf(body)
    const [again] = await eventsOf(body)
    const [other] = await eventsOf(
      notification([messagesChange({ errors: [{ ...rateLimit, code: 131000 }] })]),
    )

    expect(again!.id).toBe(first!.id)
    expect(other!.id).not.toBe(first!.id)
  })
})
