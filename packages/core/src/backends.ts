/**
 * Interfaces of the storage and messaging backends. Core only defines them: the server ships
 * an embedded backend (SQLite file, in-process bus) and can add others, such as Redis, for
 * several server instances.
 */

/** A unit of work as stored in a durable queue. */
export interface QueueJob<Payload = unknown> {
  id: string
  queue: string
  payload: Payload
  /** Jobs with the same group key run one at a time, in enqueue order (per-conversation ordering). */
  groupKey?: string
  /** Attempts started so far, including the current one. */
  attempts: number
  maxAttempts: number
  /** Unix milliseconds when the job became or becomes runnable. */
  runAt: number
  /** Unix milliseconds when the current lease expires. After that the job can be leased again. */
  leaseExpiresAt?: number
  lastError?: string
  createdAt: number
}

export interface EnqueueItem<Payload = unknown> {
  id?: string
  payload: Payload
  groupKey?: string
  /** Earliest run time in Unix milliseconds. Defaults to now. */
  runAt?: number
  maxAttempts?: number
  /**
   * A de-duplication key checked in the same transaction as the insert, so a crash can neither
   * lose a stored item nor mark a never-stored item as seen.
   */
  dedupKey?: string
}

export interface EnqueueResult {
  /** Ids of the jobs stored. */
  enqueued: string[]
  /** De-duplication keys already seen, whose items were not stored again. */
  duplicates: string[]
}

export interface DeadLetter<Payload = unknown> {
  id: string
  queue: string
  payload: Payload
  attempts: number
  lastError: string
  /** Unix milliseconds when the job was dead-lettered. */
  failedAt: number
}

export interface DurableQueue<Payload = unknown> {
  enqueue(queue: string, items: readonly EnqueueItem<Payload>[]): Promise<EnqueueResult>
  /** Leases up to `max` runnable jobs for `leaseMs`; at most one job per group key is leased at a time. */
  lease(queue: string, options: { max: number; leaseMs: number }): Promise<QueueJob<Payload>[]>
  /** Marks a leased job done and removes it. */
  ack(jobId: string): Promise<void>
  /**
   * Releases a leased job to run again after `delayMs`, keeping the error for diagnosis. With
   * `countAttempt: false` the lease that just ended does not count, so waiting out a dependency's
   * outage does not use up the job's attempts (default true).
   */
  retry(jobId: string, options: { delayMs: number; error: string; countAttempt?: boolean }): Promise<void>
  /** Moves a job to the dead-letter table after its last attempt or a permanent failure. */
  deadLetter(jobId: string, error: string): Promise<void>
  listDeadLetters(options?: { queue?: string; limit?: number }): Promise<DeadLetter<Payload>[]>
  /** Moves dead letters back to their queue with fresh attempts; returns how many were replayed. */
  replay(ids: readonly string[] | 'all', options?: { queue?: string }): Promise<number>
  /** Counts jobs waiting or running in `queue`. */
  depth(queue: string): Promise<number>
  close(): Promise<void>
}

export interface DedupStore {
  /**
   * Records each key for `ttlMs` and returns, per key, true when it was new and false when it
   * had already been seen within its time to live.
   */
  claim(keys: readonly string[], ttlMs: number): Promise<boolean[]>
  close(): Promise<void>
}

export interface RateLimitDecision {
  allowed: boolean
  remaining: number
  /** Milliseconds until the next request would be allowed; 0 when allowed. */
  retryAfterMs: number
}

export interface RateLimiter {
  consume(key: string, points?: number): Promise<RateLimitDecision>
}

/** Names of the events the server publishes on its event bus. */
export type BusTopic =
  | 'webhook.received'
  | 'message.received'
  | 'message.sent'
  | 'delivery.status'
  | (string & {})

export interface EventBus {
  publish(topic: BusTopic, payload: unknown): Promise<void>
  /** Subscribes to a topic; returns a function that unsubscribes. */
  subscribe(topic: BusTopic, listener: (payload: unknown) => void | Promise<void>): () => void
  close(): Promise<void>
}

/** A channel's credentials, from config or from the Security Hub's ResolveChannel. */
export interface ChannelCredentials {
  tenantId: string
  platform: string
  channelAccountId: string
  /** Webhook signing secrets, newest first; several during rotation. */
  webhookSecrets: readonly string[]
  /** Token for the platform's send API. */
  sendToken?: string
  /** Unix milliseconds after which `sendToken` is no longer valid. */
  sendTokenExpiresAt?: number
}

export interface CredentialStore {
  /** Returns the channel's credentials, or undefined when the channel is not known. */
  resolve(platform: string, channelAccountId: string): Promise<ChannelCredentials | undefined>
}
