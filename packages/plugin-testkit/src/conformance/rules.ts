import { configRules } from './rules-config.js'
import { bodyRules, eventRules } from './rules-body.js'
import { senderRules } from './rules-sender.js'
import { handshakeRules, replayRules, signatureRules } from './rules-signature.js'
import type { ConformanceRule } from './rule.js'

/** Every rule of the conformance suite, in the order it runs. */
export const conformanceRules: readonly ConformanceRule[] = [
  ...configRules,
  ...handshakeRules,
  ...signatureRules,
  ...replayRules,
  ...bodyRules,
  ...eventRules,
  ...senderRules,
]
