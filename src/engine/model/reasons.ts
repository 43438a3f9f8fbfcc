// Why a value is not known, as data: a kind and what that kind needs (the name, the parameter and its function,
// the operator...). Code that acts on a reason (a call that depends on a parameter makes its function a wrapper)
// reads these fields; `describeReason` alone makes the message users see.

export type Reason =
  // the expression as written
  | { kind: 'empty-expression' }
  | { kind: 'unreadable-token'; token: string }
  | { kind: 'incomplete-expression' }
  | { kind: 'expected-token'; expected: string; found: string }
  | { kind: 'unexpected-token'; token: string }
  | { kind: 'nested-too-deeply' }
  /** A problem the macro expander reported, in its own words. */
  | { kind: 'macro-problem'; problem: string }
  // operations that give no constant
  | { kind: 'assignment' }
  | { kind: 'negative-shift'; count: bigint }
  | { kind: 'shift-too-far'; count: bigint; bits: number }
  | { kind: 'division-by-zero' }
  | { kind: 'operator'; operator: string }
  | { kind: 'signed-overflow'; left: bigint; operator: string; right: bigint; type: string }
  | { kind: 'negation-overflow'; operand: bigint }
  | { kind: 'address-of' }
  | { kind: 'dereference' }
  | { kind: 'changes-variable'; operator: string }
  | { kind: 'alignof' }
  | { kind: 'sizeof-pack' }
  | { kind: 'size-of-type-unknown'; type: string; inner?: Reason }
  | { kind: 'sizeof-expression' }
  // types (sizeof, alignof, offsetof)
  | { kind: 'record-not-defined'; type: string }
  | { kind: 'type-not-declared'; type: string }
  | { kind: 'type-without-size'; type: string }
  | { kind: 'array-without-bound'; type: string }
  | { kind: 'array-bound-unknown'; type: string; bound: string }
  | { kind: 'type-defined-differently'; type: string; definitions: number }
  | { kind: 'type-cycle'; type: string }
  | { kind: 'type-of-expression-unknown'; expression: string }
  | { kind: 'no-member'; type: string; member: string }
  | { kind: 'cast-to-floating'; type: string }
  | { kind: 'cast-to-unsized'; type: string }
  | { kind: 'cast-to-unknown-type'; cast: string }
  | { kind: 'call'; callee: string }
  | { kind: 'array-element' }
  | { kind: 'member'; member: string }
  | { kind: 'string' }
  // literals
  | { kind: 'floating-literal'; literal: string }
  | { kind: 'invalid-number'; literal: string }
  | { kind: 'number-too-large'; literal: string }
  | { kind: 'unknown-escape'; literal: string }
  | { kind: 'empty-character' }
  // names in `#if`
  | { kind: 'defined-unknown'; name: string }
  | { kind: 'compiler-dependent'; name: string }
  | { kind: 'directive-call'; name: string }
  | { kind: 'undefined-in-sources'; name: string }
  // names in code
  | { kind: 'unknown-name'; name: string }
  | { kind: 'self-reference'; name: string }
  | { kind: 'too-deep'; name: string }
  | { kind: 'address-taken'; name: string }
  | { kind: 'address-passed'; name: string }
  | { kind: 'modified'; name: string }
  | { kind: 'assigned-conditionally'; name: string }
  | { kind: 'no-initial-value'; name: string }
  | { kind: 'no-value'; name: string }
  | { kind: 'variable'; name: string }
  | { kind: 'parameter-address-taken'; parameter: string }
  | { kind: 'parameter-changed'; parameter: string }
  /** The value is a parameter of the function the call sits in (`fn` undefined when its name is not known). */
  | { kind: 'parameter'; parameter: string; fn: string | undefined }
  | { kind: 'enumerator-outside-enum' }
  | { kind: 'enumerator-not-found' }
  /** A name's value is unknown because of `inner`. */
  | { kind: 'through-name'; name: string; inner: Reason }
  /** A constant of an included header whose value is unknown because of `inner`. */
  | { kind: 'in-header'; name: string; file: string; line: number; inner: Reason }
  // arguments of a call
  | { kind: 'missing-argument'; position: number }
  | { kind: 'not-an-address'; position: number }
  | { kind: 'argument-not-given'; position: number; fn: string }
  /** A template parameter the call does not write an argument for (`reserve()` of `template <size_t N = 4096>`). */
  | { kind: 'template-argument-not-given'; position: number; fn: string }
  // calls of C++ constexpr functions (analysis/constexpr-functions.ts)
  /** An argument of a constexpr function's call is not known. */
  | { kind: 'constexpr-argument'; fn: string; position: number; inner: Reason }
  /** The function's return expression, with the arguments' values, is not known. */
  | { kind: 'in-constexpr-function'; fn: string; inner: Reason }
  /** A constexpr function whose body is more than one `return` (after any `static_assert`s). */
  | { kind: 'constexpr-body'; fn: string }
  | { kind: 'constexpr-arguments'; fn: string; expected: number; given: number }
  /** More than one constexpr definition of the name takes that many arguments. */
  | { kind: 'constexpr-overloaded'; fn: string; definitions: number }
  /** Calls nested deeper than `limit` (a recursion), or more than `limit` calls in one expression. */
  | { kind: 'constexpr-too-deep'; fn: string; limit: number }
  | { kind: 'constexpr-too-many-calls'; fn: string; limit: number }
  // values that depend on the path to the call (analysis/path-values.ts)
  /** Each path gives a known value, not all the same: `paths` is how many distinct values. */
  | { kind: 'depends-on-path'; values: bigint[] }
  /** More paths than are followed (`limit`). */
  | { kind: 'too-many-paths'; limit: number }
  /** A path to the call that the path analysis does not follow (a loop, a jump, a write it cannot read). */
  | { kind: 'path-not-followed'; name: string; why: string }
  // types and their layout (engine/types)
  /** A record declared (`struct foo;`) but never defined: `record` is how it is written, `struct foo`. */
  | { kind: 'record-incomplete'; record: string }
  /** A record that contains itself by value, however deep (`struct s { struct s inner; }`). */
  | { kind: 'record-contains-itself'; record: string }
  /** A typedef chain or record nesting deeper than layout follows (a typedef of itself ends here). */
  | { kind: 'type-too-deep'; name: string }
  /** A bitfield the compilers reject: wider than its type, or of a type that is not an integer or enum. */
  | { kind: 'invalid-bitfield'; member: string; record: string }
  /** A `#pragma pack` or alignment that is not a power of two. */
  | { kind: 'invalid-alignment'; value: number }
  /** A member of a record whose size is unknown because of `inner`. */
  | { kind: 'member-type'; record: string; member: string; inner: Reason }
  /** A layout taken from a table (the SDK's) that gives offsets but not the member's type. */
  | { kind: 'member-type-not-recorded'; record: string; member: string };

/** The reasons of one group (types, layouts, paths, constexpr functions, arguments), each described by its group's function. */
function describeGroupedReason(r: TypeReason | LayoutReason | PathReason | FunctionReason | ArgumentReason): string {
  if (isTypeReason(r)) return describeTypeReason(r);
  if (isFunctionReason(r)) return describeFunctionReason(r);
  if (isArgumentReason(r)) return describeArgumentReason(r);
  return isLayoutReason(r) ? describeLayoutReason(r) : describePathReason(r);
}

type ArgumentReason = Extract<Reason, { kind: (typeof ARGUMENT_REASONS)[number] }>;
const ARGUMENT_REASONS = ['missing-argument', 'not-an-address', 'argument-not-given', 'template-argument-not-given'] as const;

function isArgumentReason(r: Reason): r is ArgumentReason {
  return (ARGUMENT_REASONS as readonly string[]).includes(r.kind);
}

/** The messages of the reasons of a call's arguments. */
function describeArgumentReason(r: ArgumentReason): string {
  switch (r.kind) {
    case 'missing-argument':
      return `argument ${r.position} is missing`;
    case 'not-an-address':
      return `argument ${r.position} is not the address of a variable`;
    case 'argument-not-given':
      return `argument ${r.position} of ${r.fn} is not given`;
    case 'template-argument-not-given':
      return `template argument ${r.position} of ${r.fn} is not written at the call`;
  }
}

type FunctionReason = Extract<Reason, { kind: (typeof FUNCTION_REASONS)[number] }>;
const FUNCTION_REASONS = [
  'constexpr-argument',
  'in-constexpr-function',
  'constexpr-body',
  'constexpr-arguments',
  'constexpr-overloaded',
  'constexpr-too-deep',
  'constexpr-too-many-calls',
] as const;

function isFunctionReason(r: Reason): r is FunctionReason {
  return (FUNCTION_REASONS as readonly string[]).includes(r.kind);
}

function describeFunctionReason(r: FunctionReason): string {
  switch (r.kind) {
    case 'constexpr-argument':
      return `argument ${r.position} of ${r.fn}(): ${describeReason(r.inner)}`;
    case 'in-constexpr-function':
      return `in constexpr function ${r.fn}: ${describeReason(r.inner)}`;
    case 'constexpr-body':
      return `constexpr function ${r.fn} is not a single return statement`;
    case 'constexpr-arguments':
      return `constexpr function ${r.fn} takes ${r.expected} argument${r.expected === 1 ? '' : 's'}, not ${r.given}`;
    case 'constexpr-overloaded':
      return `${r.fn} has ${r.definitions} constexpr definitions taking these arguments`;
    case 'constexpr-too-deep':
      return `constexpr function ${r.fn} recurses deeper than ${r.limit} calls`;
    case 'constexpr-too-many-calls':
      return `constexpr function ${r.fn} makes more than ${r.limit} calls`;
  }
}

type PathReason = Extract<Reason, { kind: 'depends-on-path' | 'too-many-paths' | 'path-not-followed' }>;

function isPathReason(r: Reason): r is PathReason {
  return r.kind === 'depends-on-path' || r.kind === 'too-many-paths' || r.kind === 'path-not-followed';
}

function describePathReason(r: PathReason): string {
  switch (r.kind) {
    case 'depends-on-path':
      return `it depends on the path to the call: ${r.values.join(', ')}`;
    case 'too-many-paths':
      return `it depends on more than ${r.limit} paths to the call`;
    case 'path-not-followed':
      return `"${r.name}" is set on a path that is not followed (${r.why})`;
  }
}

type LayoutReason = Extract<Reason, { kind: (typeof LAYOUT_REASONS)[number] }>;
const LAYOUT_REASONS = [
  'record-incomplete',
  'record-contains-itself',
  'type-too-deep',
  'invalid-bitfield',
  'invalid-alignment',
  'member-type',
  'member-type-not-recorded',
] as const;

function isLayoutReason(r: Reason): r is LayoutReason {
  return (LAYOUT_REASONS as readonly string[]).includes(r.kind);
}

/** The messages of the reasons engine/types gives: why a record has no layout. */
function describeLayoutReason(r: LayoutReason): string {
  switch (r.kind) {
    case 'record-incomplete':
      return `${r.record} is declared but never defined`;
    case 'record-contains-itself':
      return `${r.record} contains itself`;
    case 'type-too-deep':
      return `${r.name} is defined through too many other types`;
    case 'invalid-bitfield':
      return `the bitfield ${r.member} of ${r.record} is not valid`;
    case 'invalid-alignment':
      return `the alignment ${r.value} is not a power of two`;
    case 'member-type':
      return `member ${r.member} of ${r.record}: ${describeReason(r.inner)}`;
    case 'member-type-not-recorded':
      return `the type of member ${r.member} of ${r.record} is not recorded`;
  }
}

/** The message of a reason, as reports and hovers print it. */
export function describeReason(r: Reason): string {
  if (isTypeReason(r) || isLayoutReason(r) || isPathReason(r) || isFunctionReason(r) || isArgumentReason(r)) return describeGroupedReason(r);
  switch (r.kind) {
    case 'empty-expression':
      return 'empty expression';
    case 'unreadable-token':
      return `cannot read "${r.token}" in a constant expression`;
    case 'incomplete-expression':
      return 'incomplete expression';
    case 'expected-token':
      return `expected "${r.expected}" but found "${r.found}"`;
    case 'unexpected-token':
      return `unexpected "${r.token}"`;
    case 'nested-too-deeply':
      return 'the expression is nested too deeply';
    case 'macro-problem':
      return r.problem;
    case 'assignment':
      return 'an assignment is not a constant';
    case 'negative-shift':
      return `shift by a negative amount (${r.count})`;
    case 'shift-too-far':
      return `shift by ${r.count} bits of a ${r.bits}-bit value`;
    case 'division-by-zero':
      return 'division by zero';
    case 'operator':
      return `operator ${r.operator}`;
    case 'signed-overflow':
      return `signed overflow in ${r.left} ${r.operator} ${r.right} (${r.type})`;
    case 'negation-overflow':
      return `signed overflow in -${r.operand}`;
    case 'address-of':
      return 'an address is not a constant size';
    case 'dereference':
      return 'reads memory through a pointer';
    case 'changes-variable':
      return `${r.operator} changes a variable`;
    case 'alignof':
      return 'alignof is not evaluated';
    case 'sizeof-pack':
      return 'sizeof... of a parameter pack';
    case 'size-of-type-unknown':
      return r.inner ? `size of ${r.type} is not known: ${describeReason(r.inner)}` : `size of ${r.type} is not known`;
    case 'sizeof-expression':
      return 'sizeof of an expression is not evaluated';
    case 'cast-to-floating':
      return `cast to ${r.type}`;
    case 'cast-to-unsized':
      return `cast to ${r.type}, whose size is not known`;
    case 'cast-to-unknown-type':
      return `${r.cast} to a type that is not known`;
    case 'call':
      return `calls ${r.callee}()`;
    case 'array-element':
      return 'reads an array element';
    case 'member':
      return `reads the member ${r.member}`;
    case 'string':
      return 'a string is not a number';
    case 'floating-literal':
      return `${r.literal} is a floating-point number`;
    case 'invalid-number':
      return `${r.literal} is not a valid number`;
    case 'number-too-large':
      return `${r.literal} does not fit in any integer type`;
    case 'unknown-escape':
      return `unknown escape in ${r.literal}`;
    case 'empty-character':
      return 'empty character literal';
    case 'defined-unknown':
      return `whether ${r.name} is defined is not known (no definition is visible: the build may pass one, so both branches are analysed)`;
    case 'compiler-dependent':
      return `${r.name} depends on the compiler`;
    case 'directive-call':
      return `${r.name}(...) is not evaluated`;
    case 'undefined-in-sources':
      return `${r.name} is not defined in the scanned sources (the build may define it, so both branches are analysed)`;
    case 'unknown-name':
      return `the value of ${r.name} is not known`;
    case 'self-reference':
      return `${r.name} is defined in terms of itself`;
    case 'too-deep':
      return `${r.name} is defined through too many other names`;
    case 'address-taken':
      return `the address of ${r.name} is taken before the call`;
    case 'address-passed':
      return `the address of ${r.name} is passed to a call before this one`;
    case 'modified':
      return `${r.name} is modified before the call`;
    case 'assigned-conditionally':
      return `${r.name} is assigned conditionally before the call`;
    case 'no-initial-value':
      return `${r.name} has no initial value`;
    case 'no-value':
      return `${r.name} has no value`;
    case 'variable':
      return `${r.name} is a variable that may change`;
    case 'parameter-address-taken':
      return `the address of parameter '${r.parameter}' is taken before the call`;
    case 'parameter-changed':
      return `parameter '${r.parameter}' is changed before the call`;
    case 'parameter':
      return `depends on parameter '${r.parameter}' of ${r.fn ?? 'its function'}`;
    case 'enumerator-outside-enum':
      return 'enumerator outside an enum';
    case 'enumerator-not-found':
      return 'enumerator not found';
    case 'through-name':
      return `${r.name}: ${describeReason(r.inner)}`;
    case 'in-header':
      return `${r.name} (${r.file}:${r.line}): ${describeReason(r.inner)}`;
  }
}

/** The parameters a reason says the value depends on, however deep in it. */
export function parametersIn(r: Reason): { parameter: string; fn: string | undefined }[] {
  if (r.kind === 'parameter') return [{ parameter: r.parameter, fn: r.fn }];
  // (an argument of a constexpr function's call is the caller's; its body's names are the function's own)
  if (r.kind === 'through-name' || r.kind === 'in-header' || r.kind === 'constexpr-argument') return parametersIn(r.inner);
  return [];
}

/** Whether a reason already carries a macro expander's problem (so the problem adds nothing to it). */
export function mentionsMacroProblem(r: Reason, problem: string): boolean {
  if (r.kind === 'macro-problem') return r.problem.includes(problem);
  if (r.kind === 'through-name' || r.kind === 'in-header' || r.kind === 'constexpr-argument' || r.kind === 'in-constexpr-function')
    return mentionsMacroProblem(r.inner, problem);
  return false;
}

const TYPE_REASONS = [
  'record-not-defined',
  'type-not-declared',
  'type-without-size',
  'array-without-bound',
  'array-bound-unknown',
  'type-defined-differently',
  'type-cycle',
  'type-of-expression-unknown',
  'no-member',
] as const;
type TypeReason = Extract<Reason, { kind: (typeof TYPE_REASONS)[number] }>;

function isTypeReason(r: Reason): r is TypeReason {
  return (TYPE_REASONS as readonly string[]).includes(r.kind);
}

/** Why a type (of sizeof, alignof, offsetof) cannot be measured. */
function describeTypeReason(r: TypeReason): string {
  switch (r.kind) {
    case 'record-not-defined':
      return `${r.type} is declared but never defined`;
    case 'type-not-declared':
      return `${r.type} is not declared in the sources or their headers`;
    case 'type-without-size':
      return `${r.type} has no size`;
    case 'array-without-bound':
      return `an array of ${r.type} has no bound`;
    case 'array-bound-unknown':
      return `the bound ${r.bound} of an array of ${r.type} is not known`;
    case 'type-defined-differently':
      return `${r.type} has ${r.definitions} different definitions under #if branches not decided`;
    case 'type-cycle':
      return `${r.type} is defined through itself`;
    case 'type-of-expression-unknown':
      return `the type of ${r.expression} is not known`;
    case 'no-member':
      return `${r.type} has no member ${r.member}`;
  }
}
