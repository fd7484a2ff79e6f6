import { randomFillSync } from 'node:crypto'

const RANDOM_POOL_IDS = 128
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

let pool = Buffer.alloc(0)
let poolOffset = 0

/**
 * Returns a new job id in the UUID version 7 layout (RFC 9562): 48 bits of Unix milliseconds,
 * then 74 random bits. An id made in a later millisecond sorts later, so inserting into the
 * unique index on `jobs.id` touches its last page instead of a random one, which keeps each
 * commit small.
 */
export function newJobId(now = Date.now()): string {
  if (poolOffset === pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(10 * RANDOM_POOL_IDS))
    poolOffset = 0
  }
  const random = poolOffset
  poolOffset += 10

  const time = Math.max(0, Math.floor(now))
  const high = Math.floor(time / 2 ** 16)
  const low = time % 2 ** 16
  const timeHex = high.toString(16).padStart(8, '0').slice(-8) + low.toString(16).padStart(4, '0')
  const version = HEX[0x70 | (pool[random]! & 0x0f)]! + HEX[pool[random + 1]!]!
  const variant = HEX[0x80 | (pool[random + 2]! & 0x3f)]! + HEX[pool[random + 3]!]!
  let tail = ''
  for (let index = random + 4; index < random + 10; index++) {
    tail += HEX[pool[index]!]!
  }
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8)}-${version}-${variant}-${tail}`
}
