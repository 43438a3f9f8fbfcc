// Text from a runtime report (API, file and function names) printed on a terminal: control characters,
// line and paragraph separators and bidirectional overrides are shown as escapes, so a report cannot move
// the cursor, recolour the screen, forge a line of output or reorder what is read.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
