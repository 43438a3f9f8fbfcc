// A progress line on stderr for long scans: only on a terminal, only once a scan has run for a while
// (a pre-commit run on a few files never shows it), redrawn at most ten times a second, and erased
// before the report is printed.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Milliseconds before the line first appears. */
  delay?: number;
  /** Milliseconds between redraws. */
  interval?: number;
  now?: () => number;
}

export class ProgressLine {
  private readonly started: number;
  private last = -Infinity;
  private shown = false;
  private readonly delay: number;
  private readonly interval: number;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.delay = options.delay ?? 1000;
    this.interval = options.interval ?? 100;
    this.started = this.now();
  }

  /** For LintOptions.onProgress. */
  update = (done: number, total: number): void => {
    const t = this.now();
    if (t - this.started < this.delay || t - this.last < this.interval) return;
    this.last = t;
    this.shown = true;
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    this.stream.write(`\r\u001b[Kgranule: analysing ${done}/${total} files (${percent}%)`);
  };

  /** Erases the line, if it was ever drawn. */
  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}

/** A progress line when stderr is a terminal; undefined otherwise (CI logs, pipes, pre-commit). */
export function progressFor(stream: ProgressStream, env: NodeJS.ProcessEnv): ProgressLine | undefined {
  if (!stream.isTTY || env.CI || env.TERM === 'dumb') return undefined;
  return new ProgressLine(stream);
}
