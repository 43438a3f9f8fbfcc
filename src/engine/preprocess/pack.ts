// The `#pragma pack` timeline of a translation unit: which packing is in effect at each offset of the main file.
// `#pragma pack(push, n)`, `pack(pop)`, `pack(n)`, `pack()` and the SDK's `<pshpackN.h>` / `<poppack.h>` (which
// only hold such a pragma, and are recognised by name even when the header is not found) change it; a header's
// pragmas take effect at the main file's #include that entered it.

/** From `offset` on (a main-file offset), records are packed to `pack` bytes (undefined: the compiler's default). */
export interface PackChange {
  offset: number;
  pack: number | undefined;
}

const PUSH_HEADER = /(?:^|[\\/])pshpack([1248])\.h$/i;
const POP_HEADER = /(?:^|[\\/])poppack\.h$/i;

export class PackTimeline {
  readonly changes: PackChange[] = [];
  private current: number | undefined;
  private readonly stack: { pack: number | undefined; label?: string }[] = [];

  /** `#pragma pack(...)`: `rest` is the text after `pragma`. */
  pragma(rest: string, offset: number): void {
    const m = /^pack\s*\(([^)]*)\)/.exec(rest.trim());
    if (!m) return;
    const args = m[1]!.split(',').map((a) => a.trim());
    const number = args.map((a) => (/^\d+$/.test(a) ? Number(a) : undefined)).find((n) => n !== undefined);
    const label = args.find((a, i) => i > 0 && /^[A-Za-z_]\w*$/.test(a));
    if (args[0] === 'push') {
      this.stack.push({ pack: this.current, label });
      if (number !== undefined) this.set(number, offset);
    } else if (args[0] === 'pop') {
      let top = this.stack.pop();
      // `pack(pop, label)` pops up to and including the push of that label
      if (label) while (top && top.label !== label && this.stack.length) top = this.stack.pop();
      this.set(number ?? top?.pack, offset);
    } else if (args[0] === '') this.set(undefined, offset);
    else if (number !== undefined && args.length === 1) this.set(number, offset);
  }

  /** `#include <pshpackN.h>` / `<poppack.h>`: true when the header is one of them (its own pragma is then not read). */
  header(spec: string, offset: number): boolean {
    const push = PUSH_HEADER.exec(spec);
    if (push) this.pragma(`pack(push, ${push[1]})`, offset);
    else if (POP_HEADER.test(spec)) this.pragma('pack(pop)', offset);
    return !!push || POP_HEADER.test(spec);
  }

  private set(pack: number | undefined, offset: number): void {
    this.current = pack;
    const last = this.changes[this.changes.length - 1];
    if (last && last.offset === offset) last.pack = pack;
    else this.changes.push({ offset, pack });
  }
}

/** The packing in effect at a main-file offset. */
export function packAt(changes: readonly PackChange[] | undefined, offset: number): number | undefined {
  if (!changes?.length) return undefined;
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.offset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : changes[lo - 1]!.pack;
}

/** True when a header is the SDK's pshpackN.h or poppack.h (its pragma is taken from its name). */
export function isPackHeader(file: string): boolean {
  return PUSH_HEADER.test(file) || POP_HEADER.test(file);
}
