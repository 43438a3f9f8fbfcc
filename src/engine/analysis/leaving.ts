// Whether statements leave the function: the path walk (lifetime-paths.ts) asks it of the statements a path runs
// once it holds nothing any more, so that a path that released the address and returned joins no state after it,
// and of a statement that calls a function which ends the process.

import type { SyntaxNode } from '../parse/parse.js';

/** Calls that do not return: the process or thread ends, and its address space with it. */
const NO_RETURN = new Set(['exit', '_exit', '_Exit', 'abort', 'ExitProcess', 'ExitThread', 'FatalExit', 'FatalAppExitA', 'FatalAppExitW', 'quick_exit']);

const NO_RETURN_CALL = /\b(?:exit|_exit|_Exit|abort|ExitProcess|ExitThread|FatalExit|FatalAppExit[AW]|quick_exit)\s*\(/;

/** `exit(1);`, `ExitProcess(0);`: the statement ends the process. */
export function noReturn(st: SyntaxNode, text: string): boolean {
  if (st.type !== 'expression_statement' || !NO_RETURN_CALL.test(text.slice(st.startIndex, st.endIndex))) return false;
  const e = st.firstNamedChild;
  if (e?.type !== 'call_expression') return false;
  const fn = e.childForFieldName('function');
  return !!fn && fn.type === 'identifier' && NO_RETURN.has(text.slice(fn.startIndex, fn.endIndex));
}

/**
 * The state a path that holds nothing any more leaves the statements in: 0 when they leave the function first
 * (`return`, `goto`, `exit(1)`), so that what the path did joins no state after them; else the state itself. A
 * statement that may `break` or `continue` first ends the search: the path may join a loop's end instead.
 */
export function settled(statements: readonly SyntaxNode[], s: number, text: string): number {
  for (const st of statements) {
    if (leavesFunction(st, text, 0)) return 0;
    if (MAY_JUMP.test(text.slice(st.startIndex, st.endIndex))) return s;
  }
  return s;
}

const MAY_JUMP = /\b(?:break|continue|goto|__leave)\b/;
/** How deep `leavesFunction` looks into blocks and `if`s (it is asked of statements the walk does not enter). */
const MAX_LEAVE_DEPTH = 6;

/** Whether every path through a statement leaves the function (`return`, `throw`, `goto`, a call that ends the process). */
function leavesFunction(st: SyntaxNode, text: string, depth: number): boolean {
  if (depth > MAX_LEAVE_DEPTH) return false;
  switch (st.type) {
    case 'return_statement':
    case 'throw_statement':
    case 'goto_statement':
      return true;
    case 'expression_statement':
      return noReturn(st, text);
    case 'compound_statement':
      for (const c of st.namedChildren) {
        if (leavesFunction(c, text, depth + 1)) return true;
        if (MAY_JUMP.test(text.slice(c.startIndex, c.endIndex))) return false;
      }
      return false;
    case 'if_statement': {
      const consequence = st.childForFieldName('consequence');
      const alternative = st.childForFieldName('alternative');
      const otherwise = alternative?.type === 'else_clause' ? alternative.namedChildren[0] : alternative;
      return !!consequence && !!otherwise && leavesFunction(consequence, text, depth + 1) && leavesFunction(otherwise, text, depth + 1);
    }
    default:
      return false;
  }
}
