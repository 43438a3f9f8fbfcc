// How the rules write numbers in messages. All BigInt: a size is never a float. (The granule and page
// arithmetic is the Windows memory model's: src/engine/model/windows-memory.ts.)

export function hex(value: bigint): string {
  return '0x' + value.toString(16).toUpperCase();
}

/** "1 byte", "4097 bytes": a size in a message. */
export function byteCount(value: bigint): string {
  return `${value} byte${value === 1n ? '' : 's'}`;
}

/** "64 KB", "2 MB": for messages. */
export function humanBytes(value: bigint): string {
  if (value % (1024n * 1024n) === 0n) return `${value / (1024n * 1024n)} MB`;
  if (value % 1024n === 0n) return `${value / 1024n} KB`;
  return byteCount(value);
}
