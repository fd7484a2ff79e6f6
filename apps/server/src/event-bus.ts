import type { BusTopic, EventBus, Logger } from '@chatwire/core'
import { silentLogger } from '@chatwire/core'

type Listener = (payload: unknown) => void | Promise<void>

/**
 * The embedded event bus: listeners run in this process after `publish` is called. A failing
 * listener is logged and never fails the publisher, because the bus reports on work already
 * done and must not undo it.
 */
export class InProcessEventBus implements EventBus {
  readonly #listeners = new Map<string, Set<Listener>>()
  readonly #logger: Logger
  #closed = false

  constructor(logger: Logger = silentLogger) {
    this.#logger = logger
  }

  async publish(topic: BusTopic, payload: unknown): Promise<void> {
    if (this.#closed) {
      return
    }
    const subscribed = this.#listeners.get(topic)
    // Every webhook publishes, so a topic without listeners returns before copying or awaiting.
    if (subscribed === undefined || subscribed.size === 0) {
      return
    }
    // A copy, so a listener that unsubscribes during the call does not change this round.
    const listeners = [...subscribed]
    await Promise.all(
      listeners.map(async (listener) => {
        try {
          await listener(payload)
        } catch (error) {
          this.#logger.warn({ err: error, topic }, 'event bus listener failed')
        }
      }),
    )
  }

  subscribe(topic: BusTopic, listener: Listener): () => void {
    let listeners = this.#listeners.get(topic)
    if (listeners === undefined) {
      listeners = new Set()
      this.#listeners.set(topic, listeners)
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#listeners.clear()
  }
}
