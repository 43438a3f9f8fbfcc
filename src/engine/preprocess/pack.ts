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

/** Where a change is written: the main file's offset it takes effect at, and the header's own when it is in one. */
export interface PackPlace {
  offset: number;
  header?: { file: string; offset: number };
}

export class PackTimeline {
  readonly changes: PackChange[] = [];
  /** Each header's own timeline, at its offsets: what a record defined in that header is packed to. */
  readonly headers = new Map<string, PackChange[]>();
  private current: number | undefined;
  private readonly stack: { pack: number | undefined; label?: string }[] = [];

  /** A header is entered: the packing in force at its #include holds at its start (its first entry only). */
  enter(file: string): void {
    if (!this.headers.has(file)) this.headers.set(file, [{ offset: 0, pack: this.current }]);
  }

  /** `#pragma pack(...)`: `rest` is the text after `pragma`. */
  pragma(rest: string, place: PackPlace | number): void {
    const at = typeof place === 'number' ? { offset: place } : place;
    this.apply(rest, at.offset);
    const own = at.header && this.headers.get(at.header.file);
    // a header entered again (no include guard) keeps the timeline of its first entry
    if (own && at.header!.offset >= own[own.length - 1]!.offset) setAt(own, at.header!.offset, this.current);
  }

  private apply(rest: string, offset: number): void {
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
  header(spec: string, place: PackPlace): boolean {
    const push = PUSH_HEADER.exec(spec);
    if (push) this.pragma(`pack(push, ${push[1]})`, place);
    else if (POP_HEADER.test(spec)) this.pragma('pack(pop)', place);
    return !!push || POP_HEADER.test(spec);
  }

  private set(pack: number | undefined, offset: number): void {
    this.current = pack;
    setAt(this.changes, offset, pack);
  }
}

function setAt(changes: PackChange[], offset: number, pack: number | undefined): void {
  const last = changes[changes.length - 1];
  if (last && last.offset === offset) last.pack = pack;
  else changes.push({ offset, pack });
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
