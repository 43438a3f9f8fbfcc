// Writing a number the way a C source spells it: a fix must look like the code it replaces.

/**
 * Writes `value` in the style of the literal expression `original`: hex stays hex (keeping case and suffix),
 * `4 * 1024` becomes `64 * 1024`, `16 << 10` becomes `64 << 10`. Undefined when the style cannot be kept.
 */
export function formatLike(original: string, value: bigint): string | undefined {
  const text = original.trim();
  const literal = /^(0[xX])?([0-9a-fA-F']+)([uUlLzZ]*|[uU]?i64)$/.exec(text);
  if (literal) {
    const [, prefix, digits, suffix] = literal;
    if (prefix) {
      const upper = digits!.replace(/'/g, '') === digits!.replace(/'/g, '').toUpperCase() && /[A-F]/.test(digits!);
      const body = value.toString(16);
      return `${prefix}${upper ? body.toUpperCase() : body}${suffix}`;
    }
    if (/^0[0-7]/.test(digits!)) return undefined;
    return `${value}${suffix}`;
  }
  const product = /^(\d+)\s*([*])\s*(\d+)([uUlLzZ]*)$/.exec(text);
  if (product) {
    const unit = BigInt(product[3]!);
    if (unit > 0n && value % unit === 0n) return `${value / unit} ${product[2]} ${product[3]}${product[4]}`;
    return undefined;
  }
  const shift = /^(\d+)\s*<<\s*(\d+)([uUlLzZ]*)$/.exec(text);
  if (shift) {
    const unit = 1n << BigInt(shift[2]!);
    if (value % unit === 0n) return `${value / unit} << ${shift[2]}${shift[3]}`;
  }
  return undefined;
}

/** The value of a plain C integer literal (`4096`, `0x10000`, `65536u`), or undefined for anything else. */
export function integerLiteralValue(text: string): bigint | undefined {
  const m = /^(0[xX][0-9a-fA-F']+|[1-9][0-9']*|0)(?:[uUlLzZ]*|[uU]?i64)$/.exec(text.trim());
  return m ? BigInt(m[1]!.replace(/'/g, '')) : undefined;
}
