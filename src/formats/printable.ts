// Text from the scanned tree or the command line (paths, messages, source lines) printed to a terminal or a build
// log: a control character could move the cursor, recolour the terminal, end the line early (a forged second
// finding, or a GitHub workflow command), or reorder what is shown (bidirectional overrides, "Trojan Source").
// Each such character is shown as an escape instead. (A backslash stays as it is: it separates the parts of a
// Windows path.)

// C0 and C1 controls, DEL, direction marks, line and paragraph separators, bidirectional embeddings, overrides
// and isolates
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A name or message with every control character and bidirectional control shown as an escape (`\n`, `\x1b`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}

/** A line of source code, the same way, except that tabs stay (they lay the line out). */
export function printableSource(line: string): string {
  return line.replace(UNPRINTABLE_BUT_TAB, escape);
}
