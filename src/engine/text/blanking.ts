// Blanking: code the analysis must not see (a window's hidden bodies, inactive #if branches) becomes spaces,
// line breaks kept, so every offset, line and column stays exact. The text is copied once into a buffer and
// the spans are overwritten there: building the result from slices and runs of spaces instead made hundreds
// of megabytes of short-lived strings for a 50 MB file.

const WIDE_CHAR = /[^\x00-\xff]/;

/** Whether `text` has a character beyond Latin-1 (so that V8 holds it two bytes a character). */
export function isWide(text: string): boolean {
  return WIDE_CHAR.test(text);
}

/**
 * `text` with every character of the [start, end) spans (in text order, not overlapping) but `\r` and `\n`
 * made a space. `wide`: whether `text` has a character beyond Latin-1, when the caller knows. The result is
 * held one byte a character when it can be.
 */
export function blankSpans(text: string, spans: readonly (readonly [number, number])[], wide = isWide(text)): string {
  if (spans.length === 0) return text;
  const bytes = Buffer.from(text, wide ? 'utf16le' : 'latin1');
  fillSpans(bytes, spans, wide);
  if (!wide) return bytes.toString('latin1');
  const done = bytes.toString('utf16le');
  // a text whose only characters beyond Latin-1 were blanked (an en dash in a hidden comment) is held one
  // byte a character again, and so is every copy the analysis makes of it
  return isWide(done) ? done : Buffer.from(done, 'latin1').toString('latin1');
}

/**
 * blankSpans on a text's bytes (Latin-1, or UTF-16 little-endian when `wide`), in place; spans in characters.
 * Returns the number of characters made spaces.
 */
export function fillSpans(bytes: Buffer, spans: readonly (readonly [number, number])[], wide: boolean): number {
  let blanked = 0;
  if (!wide) {
    for (const [start, end] of spans) {
      for (let i = start; i < end; i++) {
        const c = bytes[i]!;
        if (c === 10 || c === 13) continue;
        bytes[i] = 32;
        blanked++;
      }
    }
    return blanked;
  }
  // a space is 0x20 0x00
  for (const [start, end] of spans) {
    for (let i = start; i < end; i++) {
      const lo = bytes[2 * i]!;
      if ((lo === 10 || lo === 13) && bytes[2 * i + 1] === 0) continue;
      bytes[2 * i] = 32;
      bytes[2 * i + 1] = 0;
      blanked++;
    }
  }
  return blanked;
}

/** blankSpans for ranges in any order, overlapping or not. */
export function blankRanges(text: string, ranges: readonly (readonly [number, number])[]): string {
  if (ranges.length === 0) return text;
  // in text order, without overlaps
  const spans: [number, number][] = [];
  let last = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (end <= last) continue;
    spans.push([Math.max(start, last), end]);
    last = end;
  }
  return blankSpans(text, spans);
}
