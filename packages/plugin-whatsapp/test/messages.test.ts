import { stableEventId } from '@chatwire/core'
import { describe, expect, it } from 'vitest'
import {
  inboundMessage,
  messagesChange,
  notification,
  PHONE_NUMBER_ID,
  RECEIVED_AT,
  TIMESTAMP,
  TIMESTAMP_ISO,
  USER_WA_ID,
  WABA_ID,
} from './fixtures.js'
import { onlyEventOf, receivedMessage, unsupportedItem } from './helpers.js'

const RECEIVED_AT_ISO = new Date(RECEIVED_AT).toISOString()

describe('inbound messages', () => {
  it('should normalize a text message with its sender name', async () => {
    const event = await onlyEventOf(
      inboundMessage({ id: 'wamid.TEXT1', type: 'text', text: { body: 'Hello \u00e4 / there' } }),
    )

    expect(event).toEqual({
      id: stableEventId('whatsapp', 'message.received', 'wamid.TEXT1'),
      kind: 'message.received',
      platform: 'whatsapp',
      channelAccountId: PHONE_NUMBER_ID,
      conversationId: USER_WA_ID,
      userId: USER_WA_ID,
      platformMessageId: 'wamid.TEXT1',
      occurredAt: TIMESTAMP_ISO,
      receivedAt: RECEIVED_AT_ISO,
      raw: {
        from: USER_WA_ID,
        timestamp: TIMESTAMP,
        id: 'wamid.TEXT1',
        type: 'text',
        text: { body: 'Hello \u00e4 / there' },
      },
      message: { type: 'text', text: 'Hello \u00e4 / there' },
      userName: 'Test User',
    })
  })

  it('should normalize an image with caption, mime type and sha256', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.IMAGE1',
        type: 'image',
        image: { id: 'media-image-1', mime_type: 'image/jpeg', sha256: 'c2hhLWltYWdl', caption: 'A cat' },
      }),
    )

    expect(event.kind).toBe('message.received')
    expect(receivedMessage(event).message).toEqual({
      type: 'media',
      mediaType: 'image',
      mediaId: 'media-image-1',
      mimeType: 'image/jpeg',
      sha256: 'c2hhLWltYWdl',
      caption: 'A cat',
    })
  })

  it('should mark a voice note with voice true', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.AUDIO1',
        type: 'audio',
        audio: {
          id: 'media-audio-1',
          mime_type: 'audio/ogg; codecs=opus',
          sha256: 'c2hhLWF1ZGlv',
          voice: true,
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'media',
      mediaType: 'audio',
      mediaId: 'media-audio-1',
      mimeType: 'audio/ogg; codecs=opus',
      sha256: 'c2hhLWF1ZGlv',
      voice: true,
    })
  })

  it('should keep voice false for an audio file', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.AUDIO2',
        type: 'audio',
        audio: { id: 'media-audio-2', mime_type: 'audio/mpeg', sha256: 'c2hhLW1wMw', voice: false },
      }),
    )

    expect(receivedMessage(event).message).toMatchObject({
      mediaType: 'audio',
      voice: false,
    })
  })

  it('should normalize a video with caption and url', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.VIDEO1',
        type: 'video',
        video: {
          id: 'media-video-1',
          mime_type: 'video/mp4',
          sha256: 'c2hhLXZpZGVv',
          caption: 'Clip',
          url: 'https://lookaside.example.test/video-1',
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'media',
      mediaType: 'video',
      mediaId: 'media-video-1',
      url: 'https://lookaside.example.test/video-1',
      mimeType: 'video/mp4',
      sha256: 'c2hhLXZpZGVv',
      caption: 'Clip',
    })
  })

  it('should normalize a document with its filename', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.DOC1',
        type: 'document',
        document: {
          id: 'media-doc-1',
          mime_type: 'application/pdf',
          sha256: 'c2hhLWRvYw',
          filename: 'invoice.pdf',
          caption: 'Invoice',
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'media',
      mediaType: 'document',
      mediaId: 'media-doc-1',
      mimeType: 'application/pdf',
      sha256: 'c2hhLWRvYw',
      filename: 'invoice.pdf',
      caption: 'Invoice',
    })
  })

  it('should normalize an animated sticker', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.STICKER1',
        type: 'sticker',
        sticker: {
          id: 'media-sticker-1',
          mime_type: 'image/webp',
          sha256: 'c2hhLXN0aWNrZXI',
          animated: true,
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'media',
      mediaType: 'sticker',
      mediaId: 'media-sticker-1',
      mimeType: 'image/webp',
      sha256: 'c2hhLXN0aWNrZXI',
      animated: true,
    })
  })

  it('should normalize a location with name and address', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.LOC1',
        type: 'location',
        location: {
          latitude: 52.52,
          longitude: 13.405,
          name: 'Office',
          address: '1 Test Street',
          url: 'https://example.test/map',
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'location',
      latitude: 52.52,
      longitude: 13.405,
      name: 'Office',
      address: '1 Test Street',
      url: 'https://example.test/map',
    })
  })

  it('should read shared contact cards, not the sender contacts', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.CONTACTS1',
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Ada Example', first_name: 'Ada', last_name: 'Example' },
            phones: [
              { phone: '+1 555 000 2222', wa_id: '15550002222', type: 'CELL' },
              { phone: '+1 555 000 3333', type: 'WORK' },
            ],
            emails: [{ email: 'ada@example.test', type: 'WORK' }],
            org: { company: 'Example Ltd', title: 'Engineer' },
            urls: [{ url: 'https://example.test', type: 'WORK' }],
            birthday: '1990-12-10',
          },
          { name: { formatted_name: 'Only Name' } },
        ],
      }),
    )

    expect(event.kind).toBe('message.received')
    expect(receivedMessage(event).userName).toBe('Test User')
    expect(receivedMessage(event).message).toEqual({
      type: 'contacts',
      contacts: [
        {
          formattedName: 'Ada Example',
          firstName: 'Ada',
          lastName: 'Example',
          phones: [
            { phone: '+1 555 000 2222', type: 'CELL', userId: '15550002222' },
            { phone: '+1 555 000 3333', type: 'WORK' },
          ],
          emails: [{ email: 'ada@example.test', type: 'WORK' }],
          organization: 'Example Ltd',
          urls: ['https://example.test'],
          birthday: '1990-12-10',
        },
        { formattedName: 'Only Name', phones: [], emails: [], urls: [] },
      ],
    })
  })

  it('should normalize an interactive button reply with its context', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.BTN1',
        type: 'interactive',
        context: { from: '15550000000', id: 'wamid.BUSINESS1' },
        interactive: { type: 'button_reply', button_reply: { id: 'confirm-yes', title: 'Yes' } },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'interactive_reply',
      replyType: 'button',
      id: 'confirm-yes',
      title: 'Yes',
    })
    expect(receivedMessage(event).replyToMessageId).toBe('wamid.BUSINESS1')
  })

  it('should normalize an interactive list reply with description', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.LIST1',
        type: 'interactive',
        context: { from: '15550000000', id: 'wamid.BUSINESS2' },
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'size-large', title: 'Large', description: 'The biggest one' },
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'interactive_reply',
      replyType: 'list',
      id: 'size-large',
      title: 'Large',
      description: 'The biggest one',
    })
    expect(receivedMessage(event).replyToMessageId).toBe('wamid.BUSINESS2')
  })

  it('should normalize a template quick-reply button', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.TPLBTN1',
        type: 'button',
        context: { from: '15550000000', id: 'wamid.TEMPLATE1' },
        button: { payload: 'STOP_PROMOTIONS', text: 'Stop promotions' },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'interactive_reply',
      replyType: 'template_button',
      id: 'STOP_PROMOTIONS',
      title: 'Stop promotions',
    })
    expect(receivedMessage(event).replyToMessageId).toBe('wamid.TEMPLATE1')
  })

  it('should normalize a reaction with its emoji', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.REACT1',
        type: 'reaction',
        reaction: { message_id: 'wamid.BUSINESS3', emoji: '\u{1F44D}' },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'reaction',
      targetMessageId: 'wamid.BUSINESS3',
      emoji: '\u{1F44D}',
    })
  })

  it('should normalize a reaction removal without an emoji', async () => {
    const event = await onlyEventOf(
      inboundMessage({ id: 'wamid.REACT2', type: 'reaction', reaction: { message_id: 'wamid.BUSINESS3' } }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'reaction',
      targetMessageId: 'wamid.BUSINESS3',
    })
  })

  it('should normalize an order with its product items', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.ORDER1',
        type: 'order',
        order: {
          catalog_id: 'catalog-1',
          text: 'Please deliver fast',
          product_items: [
            { product_retailer_id: 'sku-1', quantity: 2, item_price: 7.99, currency: 'EUR' },
            { product_retailer_id: 'sku-2', quantity: '1', item_price: 12, currency: 'EUR' },
          ],
        },
      }),
    )

    expect(receivedMessage(event).message).toEqual({
      type: 'order',
      catalogId: 'catalog-1',
      text: 'Please deliver fast',
      items: [
        { productId: 'sku-1', quantity: 2, itemPrice: 7.99, currency: 'EUR' },
        { productId: 'sku-2', quantity: 1, itemPrice: 12, currency: 'EUR' },
      ],
    })
  })

  it('should turn a changed number into a conversation update', async () => {
    const body = notification([
      messagesChange({
        messages: [
          {
            from: USER_WA_ID,
            id: 'wamid.SYSTEM1',
            timestamp: TIMESTAMP,
            type: 'system',
            system: {
              body: 'User A changed from 15551230001 to 15559990009',
              wa_id: '15559990009',
              type: 'user_changed_number',
            },
          },
        ],
      }),
    ])

    const event = await onlyEventOf(body)

    expect(event).toMatchObject({
      id: stableEventId('whatsapp', 'conversation.updated', 'wamid.SYSTEM1'),
      kind: 'conversation.updated',
      channelAccountId: PHONE_NUMBER_ID,
      userId: USER_WA_ID,
      conversationId: USER_WA_ID,
      platformMessageId: 'wamid.SYSTEM1',
      occurredAt: TIMESTAMP_ISO,
      update: {
        type: 'user_changed_number',
        text: 'User A changed from 15551230001 to 15559990009',
        newUserId: '15559990009',
      },
    })
  })

  it('should carry a click-to-WhatsApp ad referral', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.REF1',
        type: 'text',
        text: { body: 'I saw your ad' },
        referral: {
          source_url: 'https://fb.example.test/ad/1',
          source_id: 'ad-source-1',
          source_type: 'ad',
          body: 'Ad body',
          headline: 'Ad headline',
          media_type: 'image',
          image_url: 'https://fb.example.test/image.jpg',
          ctwa_clid: 'click-id-1',
        },
      }),
    )

    expect(receivedMessage(event).referral).toEqual({
      sourceType: 'ad',
      sourceId: 'ad-source-1',
      sourceUrl: 'https://fb.example.test/ad/1',
      headline: 'Ad headline',
      body: 'Ad body',
      clickId: 'click-id-1',
    })
    expect(receivedMessage(event).message).toEqual({
      type: 'text',
      text: 'I saw your ad',
    })
  })

  it('should turn an unsupported message into an unsupported event with its errors', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.UNSUP1',
        type: 'unsupported',
        unsupported: { type: 'poll_creation' },
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
      }),
    )

    expect(event).toMatchObject({
      id: stableEventId('whatsapp', 'unsupported', 'wamid.UNSUP1'),
      kind: 'unsupported',
      itemType: 'unsupported',
      userId: USER_WA_ID,
      platformMessageId: 'wamid.UNSUP1',
      occurredAt: TIMESTAMP_ISO,
      errors: [
        {
          code: '131051',
          title: 'Message type unknown',
          message: 'Message type unknown',
          details: 'Message type is currently not supported.',
        },
      ],
    })
    expect(unsupportedItem(event).reason).toContain('poll_creation')
  })

  it('should turn a legacy unknown message into an unsupported event', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.UNKNOWN1',
        type: 'unknown',
        errors: [
          {
            code: 131051,
            details: 'Message type is not currently supported',
            title: 'Unsupported message type',
          },
        ],
      }),
    )

    expect(event).toMatchObject({
      kind: 'unsupported',
      itemType: 'unknown',
      platformMessageId: 'wamid.UNKNOWN1',
      errors: [{ code: '131051', title: 'Unsupported message type' }],
    })
  })

  it('should turn an unknown message type into an unsupported event', async () => {
    const event = await onlyEventOf(
      inboundMessage({ id: 'wamid.NEW1', type: 'hologram', hologram: { id: 'h-1' } }),
    )

    expect(event).toMatchObject({
      kind: 'unsupported',
      itemType: 'hologram',
      userId: USER_WA_ID,
      platformMessageId: 'wamid.NEW1',
    })
  })

  it('should turn an interactive flow reply into an unsupported event', async () => {
    const event = await onlyEventOf(
      inboundMessage({
        id: 'wamid.NFM1',
        type: 'interactive',
        interactive: { type: 'nfm_reply', nfm_reply: { response_json: '{}', body: 'Sent', name: 'flow' } },
      }),
    )

    expect(event).toMatchObject({ kind: 'unsupported', itemType: 'interactive' })
    expect(unsupportedItem(event).reason).toContain('nfm_reply')
  })

  it('should turn another webhook field into an unsupported event for the WABA', async () => {
    const change = {
      field: 'account_update',
      value: { phone_number: '15550000000', event: 'VERIFIED_ACCOUNT' },
    }
    const event = await onlyEventOf(notification([change]))

    expect(event).toMatchObject({
      kind: 'unsupported',
      itemType: 'account_update',
      channelAccountId: `${WABA_ID}0`,
      userId: '',
      conversationId: '',
      occurredAt: RECEIVED_AT_ISO,
      raw: change,
    })
  })

  it('should fall back to the receive time for an unreadable timestamp', async () => {
    const event = await onlyEventOf(
      inboundMessage({ id: 'wamid.TS1', type: 'text', text: { body: 'hi' }, timestamp: 'yesterday' }),
    )

    expect(event.occurredAt).toBe(RECEIVED_AT_ISO)
  })

  it('should keep an incomplete message as an unsupported event', async () => {
    const event = await onlyEventOf(inboundMessage({ type: 'text', text: { body: 'no id' } }))

    expect(event).toMatchObject({ kind: 'unsupported', itemType: 'text', userId: USER_WA_ID })
  })
})

describe('system messages', () => {
  function systemMessage(system: Record<string, unknown>) {
    return notification([
      messagesChange({
        messages: [{ from: USER_WA_ID, id: 'wamid.SYSTEM2', timestamp: TIMESTAMP, type: 'system', system }],
      }),
    ])
  }

  it('should read new_wa_id from older payloads', async () => {
    const event = await onlyEventOf(
      systemMessage({ body: 'changed', new_wa_id: '15559990010', type: 'customer_changed_number' }),
    )

    expect(event).toMatchObject({
      kind: 'conversation.updated',
      update: { type: 'user_changed_number', text: 'changed', newUserId: '15559990010' },
    })
  })

  it('should map an identity change to other', async () => {
    const event = await onlyEventOf(
      systemMessage({ body: 'identity changed', type: 'user_identity_changed' }),
    )

    expect(event).toMatchObject({
      kind: 'conversation.updated',
      update: { type: 'other', text: 'identity changed' },
    })
    expect(event.kind === 'conversation.updated' ? event.update.newUserId : 'wrong kind').toBeUndefined()
  })
})
