/** Reply chosen by the keyword rules for one message. */
export interface RuleReply {
  rule: 'greeting' | 'order' | 'order_status' | 'help' | 'fallback'
  replyContent: string
  confidence: number
  /** Top-level context keys to set; `null` deletes a key. */
  contextChanges: Record<string, unknown>
  nextExpectedInputs: string[]
  suggestedActions: { type: string; title: string; payload: string }[]
}

const GREETING = /\b(hi|hello|hey|hola|good (morning|afternoon|evening))\b/i
const ORDER = /\b(order|orders|tracking|delivery|shipment|package)\b/i
const HELP = /\b(help|support|agent|human)\b/i
const ORDER_NUMBER = /#?\b(\d{4,})\b/

/**
 * Picks a reply by keyword: greetings, order questions (asking for the order number when it is
 * missing), help, and a fallback. Rules are checked in that order, except that a conversation
 * waiting for an order number accepts any number of four or more digits as that number.
 */
export function applyRules(content: string, context: Readonly<Record<string, unknown>>): RuleReply {
  const orderNumber = ORDER_NUMBER.exec(content)?.[1]

  if (orderNumber !== undefined && (context.awaitingInput === 'order_number' || ORDER.test(content))) {
    return {
      rule: 'order_status',
      replyContent: `Order ${orderNumber} has shipped and should arrive within 3 business days.`,
      confidence: 0.9,
      contextChanges: { lastOrderNumber: orderNumber, awaitingInput: null },
      nextExpectedInputs: [],
      suggestedActions: [{ type: 'quick_reply', title: 'Talk to an agent', payload: 'help' }],
    }
  }
  if (GREETING.test(content)) {
    return {
      rule: 'greeting',
      replyContent: 'Hello! How can I help you today?',
      confidence: 0.95,
      contextChanges: { greeted: true },
      nextExpectedInputs: [],
      suggestedActions: [
        { type: 'quick_reply', title: 'Track my order', payload: 'order' },
        { type: 'quick_reply', title: 'Get help', payload: 'help' },
      ],
    }
  }
  if (ORDER.test(content)) {
    return {
      rule: 'order',
      replyContent: 'Sure, what is your order number?',
      confidence: 0.85,
      contextChanges: { awaitingInput: 'order_number' },
      nextExpectedInputs: ['order_number'],
      suggestedActions: [],
    }
  }
  if (HELP.test(content)) {
    return {
      rule: 'help',
      replyContent: 'I can track orders and answer questions. Type "order" followed by your order number.',
      confidence: 0.8,
      contextChanges: {},
      nextExpectedInputs: [],
      suggestedActions: [{ type: 'quick_reply', title: 'Track my order', payload: 'order' }],
    }
  }
  return {
    rule: 'fallback',
    replyContent: 'Sorry, I did not understand that. Type "help" to see what I can do.',
    confidence: 0.2,
    contextChanges: {},
    nextExpectedInputs: [],
    suggestedActions: [{ type: 'quick_reply', title: 'Get help', payload: 'help' }],
  }
}
