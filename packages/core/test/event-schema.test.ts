import { describe, expect, it } from 'vitest'
import {
  assertValidEvent,
  ChatwireError,
  checkEvent,
  type NormalizedEvent,
  stableEventId,
  unixSecondsToIso,
} from '../src/index.js'

const base = {
  platform: 'whatsapp',
  channelAccountId: '100000000000001',
  conversationId: '15550001111',
  userId: '15550001111',
  occurredAt: '2026-12-04T10:00:00.000Z',
  receivedAt: '2026-12-04T10:00:01.000Z',
  raw: { any: 'thing' },
}

const examples: NormalizedEvent[] = [
  {
    ...base,
    id: 'e1',
    kind: 'message.received',
    platformMessageId: 'wamid.1',
    message: { type: 'text', text: 'hi' },
    userName: 'Ana',
  },
  {
    ...base,
    id: 'e2',
    kind: 'message.received',
    message: { type: 'media', mediaType: 'audio', mediaId: 'm1', mimeType: 'audio/ogg', voice: true },
  },
  {
    ...base,
    id: 'e3',
    kind: 'message.received',
    message: { type: 'location', latitude: 38.7, longitude: -9.1, name: 'Lisbon' },
  },
  {
    ...base,
    id: 'e4',
    kind: 'message.received',
    message: {
      type: 'contacts',
      contacts: [{ formattedName: 'Bo', phones: [{ phone: '+1 555', type: 'CELL' }], emails: [], urls: [] }],
    },
  },
  {
    ...base,
    id: 'e5',
    kind: 'message.received',
    replyToMessageId: 'wamid.0',
    message: {
      type: 'interactive_reply',
      replyType: 'list',
      id: 'row-1',
      title: 'Row 1',
      description: 'First',
    },
  },
  { ...base, id: 'e6', kind: 'message.received', message: { type: 'reaction', targetMessageId: 'wamid.0' } },
  {
    ...base,
    id: 'e7',
    kind: 'message.received',
    message: {
      type: 'order',
      catalogId: 'c1',
      items: [{ productId: 'p1', quantity: 2, itemPrice: 7.99, currency: 'EUR' }],
    },
  },
  {
    ...base,
    id: 'e8',
    kind: 'message.status',
    status: 'failed',
    recipientId: '15550001111',
    errors: [{ code: '131049', title: 'Not delivered' }],
  },
  {
    ...base,
    id: 'e9',
    kind: 'interaction',
    interaction: { type: 'slash_command', command: '/order', text: '42' },
  },
  {
    ...base,
    id: 'e10',
    kind: 'conversation.updated',
    update: { type: 'user_changed_number', newUserId: '15550002222' },
  },
  { ...base, id: 'e11', kind: 'unsupported', itemType: 'account_update', reason: 'field not modelled' },
]

describe('normalized event schema', () => {
  it.each(examples.map((event) => [`${event.kind} ${event.id}`, event] as const))(
    'should accept %s',
    (_name, event) => {
      expect(checkEvent(event)).toEqual([])
    },
  )

  it('should survive a JSON round trip unchanged', () => {
    for (const event of examples) {
      expect(checkEvent(JSON.parse(JSON.stringify(event)))).toEqual([])
    }
  })

  it('should reject an unknown kind', () => {
    expect(checkEvent({ ...base, id: 'x', kind: 'message.deleted' }).length).toBeGreaterThan(0)
  })

  it('should point at a missing field', () => {
    const { userId: _dropped, ...withoutUser } = examples[0]!
    const issues = checkEvent(withoutUser)
    expect(issues.some((issue) => issue.message.includes('userId'))).toBe(true)
  })

  it('should point at a wrong nested value', () => {
    const issues = checkEvent({ ...examples[2]!, message: { type: 'location', latitude: 120, longitude: 0 } })
    expect(issues.map((issue) => issue.pointer)).toContain('/message/latitude')
  })

  it('should reject a local time without a zone', () => {
    expect(checkEvent({ ...examples[0]!, occurredAt: '2026-12-04 10:00' }).length).toBeGreaterThan(0)
  })

  it('should throw a coded error from assertValidEvent', () => {
    let caught: unknown
    try {
      assertValidEvent({ kind: 'message.received' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ChatwireError)
    expect((caught as ChatwireError).code).toBe('CHATWIRE_ERR_EVENT_INVALID')
  })
})

describe('stableEventId', () => {
  it('should be the same for the same platform ids', () => {
    expect(stableEventId('whatsapp', 'message', 'wamid.1')).toBe(
      stableEventId('whatsapp', 'message', 'wamid.1'),
    )
  })

  it('should differ when any part differs', () => {
    const ids = new Set([
      stableEventId('whatsapp', 'status', 'wamid.1', 'sent'),
      stableEventId('whatsapp', 'status', 'wamid.1', 'read'),
      stableEventId('whatsapp', 'message', 'wamid.1'),
      stableEventId('messenger', 'message', 'wamid.1'),
      stableEventId('whatsapp', 'status', 'wamid.1sent'),
    ])
    expect(ids.size).toBe(5)
  })

  it('should keep the platform and kind readable', () => {
    expect(stableEventId('whatsapp', 'message', 'wamid.1')).toMatch(/^whatsapp:message:[0-9a-f]{40}$/)
  })

  it('should throw when no platform ids are given', () => {
    expect(() => stableEventId('whatsapp', 'message')).toThrow(TypeError)
  })
})

describe('unixSecondsToIso', () => {
  it('should convert Meta timestamp strings to UTC', () => {
    expect(unixSecondsToIso('1733310000')).toBe('2024-12-04T11:00:00.000Z')
    expect(unixSecondsToIso(0)).toBe('1970-01-01T00:00:00.000Z')
  })

  it.each(['', 'abc', '12a', 'NaN'])('should return undefined for %j', (value) => {
    expect(unixSecondsToIso(value)).toBeUndefined()
  })
})
