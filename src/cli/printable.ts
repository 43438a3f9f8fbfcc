// Names from the scanned tree or the command line, made safe to print on a terminal: a file name may hold
// escape sequences (colours, cursor moves, a fake prompt) or line breaks that forge a second message.

/**
 * `text` with control characters, line and paragraph separators and bidirectional overrides as escapes.
 * (A backslash stays as it is: it separates the parts of a Windows path.)
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
