// The initialised data of a COFF object file (what mingw's gcc -c writes): enough to read a compiler's
// answers out of `unsigned long long values[] = { sizeof(T), ... }` without running anything.

const FILE_HEADER = 20;
const SECTION_HEADER = 40;

/** The raw bytes of the section named `name` (`.data`), or undefined when there is none. */
export function coffSection(object: Buffer, name: string): Buffer | undefined {
  const sections = object.readUInt16LE(2);
  const optionalHeader = object.readUInt16LE(16);
  for (let i = 0; i < sections; i++) {
    const at = FILE_HEADER + optionalHeader + i * SECTION_HEADER;
    const sectionName = object
      .subarray(at, at + 8)
      .toString('latin1')
      .replace(/\0+$/, '');
    if (sectionName !== name) continue;
    const size = object.readUInt32LE(at + 16);
    const pointer = object.readUInt32LE(at + 20);
    return object.subarray(pointer, pointer + size);
  }
  return undefined;
}

/** `count` little-endian unsigned 64-bit numbers from the start of `data`. */
export function readU64s(data: Buffer, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => data.readBigUInt64LE(i * 8));
}
