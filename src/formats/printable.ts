// Text from the scanned tree (paths, source lines) printed to a terminal or a build log: a control character
// could move the cursor, recolour the terminal, end the line early (a forged second finding), or reorder what
// is shown (bidirectional overrides, "Trojan Source"). Each such character is shown as an escape instead.

// C0 controls but the tab, DEL, C1 controls, line and paragraph separators, bidirectional embeddings,
// overrides and isolates
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character (but the tab) and bidirectional control shown as `\xNN` or `\uNNNN`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}
