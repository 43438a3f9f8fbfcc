// JSON.parse's message for a file granule could not parse, without the text V8 quotes from the start of the file
// ('Unexpected token 'r', "root:x:0:0"... is not valid JSON'): a config, a compilation database or a baseline may
// be named by a stranger's repository and be any file on the machine, which is never repeated.

export function jsonErrorMessage(e: unknown): string {
  return (typeof e === 'string' ? e : e instanceof Error ? e.message : String(e)).replace(/, ".*"(\.\.\.)? is not valid JSON$/s, '');
}
