/**
 * JSON Schema (draft 2020-12) of the normalized event model, for consumers in any language
 * that receive events as JSON. It mirrors the types in `events.ts`; `event-schema.test.ts`
 * validates an example of every kind so the two cannot drift silently.
 */

const isoTime = { type: 'string', format: 'date-time' } as const
const nonEmpty = { type: 'string', minLength: 1 } as const

const errorDetail = {
  type: 'object',
  required: ['code'],
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'string' },
  },
  additionalProperties: false,
} as const

const base = {
  id: nonEmpty,
  platform: nonEmpty,
  channelAccountId: nonEmpty,
  conversationId: { type: 'string' },
  userId: { type: 'string' },
  platformMessageId: { type: 'string' },
  occurredAt: isoTime,
  receivedAt: isoTime,
  raw: {},
} as const

const baseRequired = [
  'id',
  'kind',
  'platform',
  'channelAccountId',
  'conversationId',
  'userId',
  'occurredAt',
  'receivedAt',
  'raw',
] as const

function eventSchema(kind: string, properties: Record<string, unknown>, required: readonly string[]) {
  return {
    type: 'object',
    required: [...baseRequired, ...required],
    properties: { ...base, kind: { const: kind }, ...properties },
    additionalProperties: false,
  }
}

const messageContent = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: ['text', 'media', 'location', 'contacts', 'interactive_reply', 'reaction', 'order'] },
  },
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      type: 'object',
      required: ['type', 'text'],
      properties: { type: { const: 'text' }, text: { type: 'string' } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'mediaType'],
      properties: {
        type: { const: 'media' },
        mediaType: { enum: ['image', 'audio', 'video', 'document', 'sticker', 'file'] },
        mediaId: { type: 'string' },
        url: { type: 'string' },
        mimeType: { type: 'string' },
        sha256: { type: 'string' },
        caption: { type: 'string' },
        filename: { type: 'string' },
        voice: { type: 'boolean' },
        animated: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'latitude', 'longitude'],
      properties: {
        type: { const: 'location' },
        latitude: { type: 'number', minimum: -90, maximum: 90 },
        longitude: { type: 'number', minimum: -180, maximum: 180 },
        name: { type: 'string' },
        address: { type: 'string' },
        url: { type: 'string' },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'contacts'],
      properties: {
        type: { const: 'contacts' },
        contacts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['phones', 'emails', 'urls'],
            properties: {
              formattedName: { type: 'string' },
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              phones: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['phone'],
                  properties: {
                    phone: { type: 'string' },
                    type: { type: 'string' },
                    userId: { type: 'string' },
                  },
                  additionalProperties: false,
                },
              },
              emails: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['email'],
                  properties: { email: { type: 'string' }, type: { type: 'string' } },
                  additionalProperties: false,
                },
              },
              organization: { type: 'string' },
              urls: { type: 'array', items: { type: 'string' } },
              birthday: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'replyType', 'id', 'title'],
      properties: {
        type: { const: 'interactive_reply' },
        replyType: { enum: ['button', 'list', 'template_button'] },
        id: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'targetMessageId'],
      properties: {
        type: { const: 'reaction' },
        targetMessageId: { type: 'string' },
        emoji: { type: 'string' },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'items'],
      properties: {
        type: { const: 'order' },
        catalogId: { type: 'string' },
        text: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['productId', 'quantity'],
            properties: {
              productId: { type: 'string' },
              quantity: { type: 'number' },
              itemPrice: { type: 'number' },
              currency: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  ],
} as const

export const normalizedEventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://chatwire.dev/schemas/normalized-event.json',
  title: 'Chatwire normalized event',
  type: 'object',
  required: ['kind'],
  properties: {
    kind: {
      enum: ['message.received', 'message.status', 'interaction', 'conversation.updated', 'unsupported'],
    },
  },
  // `discriminator` is an OpenAPI keyword that ajv understands; other validators ignore it.
  discriminator: { propertyName: 'kind' },
  oneOf: [
    eventSchema(
      'message.received',
      {
        message: messageContent,
        userName: { type: 'string' },
        replyToMessageId: { type: 'string' },
        referral: {
          type: 'object',
          properties: {
            sourceType: { type: 'string' },
            sourceId: { type: 'string' },
            sourceUrl: { type: 'string' },
            headline: { type: 'string' },
            body: { type: 'string' },
            clickId: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
      ['message'],
    ),
    eventSchema(
      'message.status',
      {
        status: { enum: ['sent', 'delivered', 'read', 'failed', 'played'] },
        recipientId: { type: 'string' },
        errors: { type: 'array', items: errorDetail },
        pricing: { type: 'object' },
        conversation: { type: 'object' },
      },
      ['status', 'recipientId'],
    ),
    eventSchema(
      'interaction',
      {
        interaction: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { enum: ['postback', 'button', 'slash_command', 'block_action'] },
            actionId: { type: 'string' },
            payload: { type: 'string' },
            title: { type: 'string' },
            command: { type: 'string' },
            text: { type: 'string' },
            responseUrl: { type: 'string' },
            triggerId: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
      ['interaction'],
    ),
    eventSchema(
      'conversation.updated',
      {
        update: {
          type: 'object',
          required: ['type'],
          properties: {
            type: {
              enum: [
                'member_added',
                'member_removed',
                'user_changed_number',
                'conversation_renamed',
                'other',
              ],
            },
            text: { type: 'string' },
            newUserId: { type: 'string' },
            memberIds: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
      },
      ['update'],
    ),
    eventSchema(
      'unsupported',
      {
        itemType: { type: 'string' },
        reason: { type: 'string' },
        errors: { type: 'array', items: errorDetail },
      },
      ['itemType', 'reason'],
    ),
  ],
} as const
