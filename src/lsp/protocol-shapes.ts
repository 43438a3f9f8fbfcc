// The shapes the Language Server Protocol defines for the params of every message the server handles, checked
// at run time: vscode-languageserver's TypeScript types describe what a client should send, not what arrives.
// A check returns the first problem, naming the field (`params.textDocument.uri must be a string`), or
// undefined. Fields the protocol makes optional may be absent; fields granule never reads are not checked.

export type Check = (value: unknown, at: string) => string | undefined;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

export const anything: Check = () => undefined;

export const string: Check = (v, at) => (typeof v === 'string' ? undefined : `${at} must be a string`);

export const boolean: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${at} must be a boolean`);

/** LSP `integer`. */
export const integer: Check = (v, at) => (Number.isInteger(v) && (v as number) >= INT_MIN && (v as number) <= INT_MAX ? undefined : `${at} must be an integer`);

/** LSP `uinteger`. */
export const uinteger: Check = (v, at) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT_MAX ? undefined : `${at} must be an unsigned integer`;

export function literal(...values: (string | number)[]): Check {
  return (v, at) => (values.includes(v as string | number) ? undefined : `${at} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
}

export function nullable(check: Check): Check {
  return (v, at) => (v === null ? undefined : check(v, at));
}

export function either(first: Check, second: Check, what: string): Check {
  return (v, at) => (first(v, at) === undefined || second(v, at) === undefined ? undefined : `${at} must be ${what}`);
}

export function array(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** An object with these fields; keys ending in `?` may be absent (or undefined). Other fields are allowed. */
export function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields).map(([key, check]) => ({ key: key.replace(/\?$/, ''), optional: key.endsWith('?'), check }));
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at} must be an object`;
    for (const { key, optional, check } of entries) {
      const value = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
      if (value === undefined) {
        if (optional) continue;
        return `${at}.${key} is missing`;
      }
      const problem = check(value, `${at}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const position = object({ line: uinteger, character: uinteger });
const range = object({ start: position, end: position });
const textDocumentIdentifier = object({ uri: string });
const workspaceFolder = object({ uri: string, name: string });
const diagnostic = object({
  range,
  message: string,
  'severity?': uinteger,
  'code?': either(integer, string, 'an integer or a string'),
  'source?': string,
});
const progressToken = either(integer, string, 'an integer or a string');

/** Params of the methods the server handles; a method not listed here is answered or ignored by the connection. */
export const PARAMS: Readonly<Record<string, Check>> = {
  initialize: object({
    'processId?': nullable(integer),
    'rootUri?': nullable(string),
    'rootPath?': nullable(string),
    capabilities: object({}),
    'workspaceFolders?': nullable(array(workspaceFolder)),
    'initializationOptions?': anything,
  }),
  initialized: anything,
  shutdown: anything,
  exit: anything,
  '$/cancelRequest': object({ id: either(integer, string, 'an integer or a string') }),
  '$/setTrace': object({ value: literal('off', 'messages', 'verbose') }),
  'window/workDoneProgress/cancel': object({ token: progressToken }),
  'textDocument/didOpen': object({ textDocument: object({ uri: string, languageId: string, version: integer, text: string }) }),
  'textDocument/didChange': object({
    textDocument: object({ uri: string, version: integer }),
    contentChanges: array(object({ 'range?': range, 'rangeLength?': uinteger, text: string })),
  }),
  'textDocument/didSave': object({ textDocument: textDocumentIdentifier, 'text?': string }),
  'textDocument/didClose': object({ textDocument: textDocumentIdentifier }),
  'textDocument/codeAction': object({
    textDocument: textDocumentIdentifier,
    range,
    context: object({ diagnostics: array(diagnostic), 'only?': array(string), 'triggerKind?': uinteger }),
  }),
  'textDocument/hover': object({ textDocument: textDocumentIdentifier, position }),
  'workspace/didChangeConfiguration': object({ 'settings?': anything }),
  'workspace/didChangeWatchedFiles': object({ changes: array(object({ uri: string, type: literal(1, 2, 3) })) }),
  'workspace/didChangeWorkspaceFolders': object({ event: object({ added: array(workspaceFolder), removed: array(workspaceFolder) }) }),
};

/** The problem with `params` for `method`, or undefined when they have the shape the protocol defines (or the method is not handled here). */
export function paramsProblem(method: string, params: unknown): string | undefined {
  const check = Object.hasOwn(PARAMS, method) ? PARAMS[method] : undefined;
  return check?.(params, 'params');
}
