// A configuration problem: always names the file and the reason, and ends the run with exit code 2.

export class ConfigError extends Error {
  constructor(
    /** The config file at fault (absolute path). */
    readonly file: string,
    /** What is wrong, naming the key: `rules.large-page-size[1].largePageMinimum: must be >= 4096`. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ConfigError';
  }
}
