import type { NormalizedEvent, PlatformErrorDetail } from '@chatwire/core'
import type { ChangeContext } from './context.js'
import { unsupportedEvent } from './unsupported.js'
import { asArray, asId, asRecord, asString, compact } from './values.js'

/** Maps Meta's `errors[]` items (`code`, `title`, `message`, `error_data.details`) to error details. */
export function platformErrors(value: unknown): PlatformErrorDetail[] {
  const details: PlatformErrorDetail[] = []
  for (const item of asArray(value)) {
    const error = asRecord(item)
    if (error === undefined) {
      continue
    }
    details.push(
      compact({
        code: asId(error.code) ?? 'unknown',
        title: asString(error.title),
        message: asString(error.message),
        details: asString(asRecord(error.error_data)?.details),
      }),
    )
  }
  return details
}

/**
 * Turns the value-level `errors[]` of a change (out-of-band problems such as code 130429,
 * "Rate limit hit", that belong to no message) into one `unsupported` event per error with
 * `itemType` `errors`. The normalized model has no kind for account-level errors, and an
 * `unsupported` event keeps them visible to subscribers instead of dropping them.
 */
export function valueErrorEvents(errors: readonly unknown[], context: ChangeContext): NormalizedEvent[] {
  return errors.map((item) => {
    const [detail] = platformErrors([item])
    return unsupportedEvent(context, {
      itemType: 'errors',
      reason:
        detail === undefined
          ? 'WhatsApp reported an error item that is not an object'
          : `WhatsApp reported error ${detail.code} for this phone number${detail.title === undefined ? '' : `: ${detail.title}`}`,
      raw: item,
      errors: detail === undefined ? undefined : [detail],
    })
  })
}
