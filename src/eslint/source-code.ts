// ESLint's view of one analysed C/C++ file: the syntax tree as plain nodes, the allocation calls granule's rules
// visit, and the inline `eslint-*` comments.

import type { ConfigurationMessages } from './configurations.js';
import type { FileProblem, RulesConfig, SourceLocation, SourceRange } from '@eslint/core';
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';
import type { AllocationCall, FileAnalysis } from '../engine/analysis/analyze.js';
import { applyDirectives, scanDisableDirectives, type DirectiveScan } from '../engine/linter/directives.js';
import type { Finding } from '../engine/model/types.js';
import { scanComments } from './comments.js';
import type { GranuleLanguageOptions } from './language-options.js';
import type { CNode, Loc, TranslationUnit } from './syntax-tree.js';

/** A comment, as ESLint's directive handling sees it. */
export interface CommentNode {
  type: 'Line' | 'Block';
  value: string;
  range: [number, number];
  loc: Loc;
}

export type GranuleNode = CNode | AllocationCall;
export type GranuleSyntaxElement = GranuleNode | CommentNode;

const commentParser = new ConfigCommentParser();
const INLINE_CONFIG = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;

export class GranuleSourceCode extends TextSourceCodeBase<{
  LangOptions: GranuleLanguageOptions;
  RootNode: TranslationUnit;
  SyntaxElementWithLoc: GranuleSyntaxElement;
  ConfigNode: CommentNode;
}> {
  declare ast: TranslationUnit;
  /** granule's analysis of the file: calls with evaluated sizes, macro facts, the native tree. */
  readonly analysis: FileAnalysis;
  /** With several configurations: the CLI's merged message per call site (./configurations.ts). */
  readonly configurations?: ConfigurationMessages;
  readonly visitorKeys: Record<string, string[]>;
  readonly comments: CommentNode[];
  #parents = new WeakMap<object, GranuleNode>();
  #steps: VisitNodeStep[] | undefined;
  #inlineConfigNodes: CommentNode[] | undefined;
  #granuleDirectives: DirectiveScan | undefined;

  constructor({
    text,
    ast,
    analysis,
    visitorKeys,
    configurations,
  }: {
    text: string;
    ast: TranslationUnit;
    analysis: FileAnalysis;
    visitorKeys: Record<string, string[]>;
    configurations?: ConfigurationMessages;
  }) {
    // CR, LF and CRLF end a line, as in granule's own positions
    super({ text, ast, lineEndingPattern: /\r\n|[\r\n]/u });
    this.ast = ast;
    this.analysis = analysis;
    this.configurations = configurations;
    this.visitorKeys = visitorKeys;
    this.comments = scanComments(text).map((c) => {
      const s = analysis.lines.position(c.start);
      const e = analysis.lines.position(c.end);
      return {
        type: c.kind === 'line' ? 'Line' : 'Block',
        value: c.value,
        range: [c.start, c.end],
        loc: { start: { line: s.line, column: s.column - 1 }, end: { line: e.line, column: e.column - 1 } },
      };
    });
  }

  /** The allocation calls of the file, in source order. */
  get calls(): readonly AllocationCall[] {
    return this.analysis.calls;
  }

  override getLoc(node: GranuleSyntaxElement): SourceLocation {
    return node.loc;
  }

  override getRange(node: GranuleSyntaxElement): SourceRange {
    // an AllocationCall's `range` is granule's Range object; ESLint wants offsets
    if (isAllocationCall(node)) return [node.range.start.offset, node.range.end.offset];
    return node.range as SourceRange;
  }

  override getParent(node: GranuleSyntaxElement): GranuleNode | undefined {
    return this.#parents.get(node);
  }

  /**
   * Enter and exit steps for every named tree node, and for every AllocationCall as a child of the innermost node
   * that contains it (so `AllocationCall`, `AllocationCall:exit` and selectors like
   * `call_expression > AllocationCall[api="VirtualAllocEx"]` all work).
   */
  override traverse(): Iterable<VisitNodeStep> {
    if (this.#steps) return this.#steps;
    const steps: VisitNodeStep[] = (this.#steps = []);
    const callsAt = new Map<CNode, AllocationCall[]>();
    for (const call of this.analysis.calls) {
      const owner = innermostContaining(this.ast, call.range.start.offset, call.range.end.offset);
      const list = callsAt.get(owner);
      if (list) list.push(call);
      else callsAt.set(owner, [call]);
    }
    const visit = (node: CNode, parent: CNode | undefined): void => {
      if (parent) this.#parents.set(node, parent);
      steps.push(new VisitNodeStep({ target: node, phase: 1, args: [node, parent] }));
      for (const child of node.children) visit(child, node);
      for (const call of callsAt.get(node) ?? []) {
        this.#parents.set(call, node);
        steps.push(new VisitNodeStep({ target: call, phase: 1, args: [call, node] }));
        steps.push(new VisitNodeStep({ target: call, phase: 2, args: [call, node] }));
      }
      steps.push(new VisitNodeStep({ target: node, phase: 2, args: [node, parent] }));
    };
    visit(this.ast, undefined);
    return steps;
  }

  /**
   * Whether a granule comment (`// granule-disable-next-line virtualalloc-granularity`, ...) disables a rule for a
   * call: granule's own comments keep working when its rules run inside ESLint, next to ESLint's.
   */
  disabledByGranuleComment(ruleId: string, call: AllocationCall): boolean {
    const file = this.analysis.file;
    this.#granuleDirectives ??= scanDisableDirectives(file, this.text, this.analysis.lines);
    if (this.#granuleDirectives.directives.length === 0) return false;
    const probe: Finding = {
      ruleId,
      severity: 'error',
      file,
      range: call.range,
      messageId: '',
      message: '',
      properties: {},
      evidence: [],
      callText: call.callText,
      enclosingFunction: call.enclosingFunction,
      suggestions: [],
    };
    applyDirectives(file, [probe], this.#granuleDirectives, 'off');
    return probe.suppressed !== undefined;
  }

  getInlineConfigNodes(): CommentNode[] {
    this.#inlineConfigNodes ??= this.comments.filter((c) => INLINE_CONFIG.test(c.value));
    return this.#inlineConfigNodes;
  }

  getDisableDirectives(): { problems: FileProblem[]; directives: Directive[] } {
    const problems: FileProblem[] = [];
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed) continue;
      const { label, value, justification } = parsed;
      // a disable-line comment spanning lines would be ambiguous about which line it means
      if (label === 'eslint-disable-line' && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      if (label === 'eslint-disable' || label === 'eslint-enable' || label === 'eslint-disable-next-line' || label === 'eslint-disable-line') {
        const type = label.slice('eslint-'.length) as 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
        directives.push(new Directive({ type, node: comment, value, justification }));
      }
    }
    return { problems, directives };
  }

  applyInlineConfig(): { configs: { config: { rules: RulesConfig }; loc: SourceLocation }[]; problems: FileProblem[] } {
    const configs: { config: { rules: RulesConfig }; loc: SourceLocation }[] = [];
    const problems: FileProblem[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (parsed?.label !== 'eslint') continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) configs.push({ config: { rules: result.config }, loc: comment.loc });
      else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
    }
    return { configs, problems };
  }
}

export function isAllocationCall(node: GranuleSyntaxElement): node is AllocationCall {
  return node.type === 'AllocationCall';
}

function innermostContaining(root: CNode, start: number, end: number): CNode {
  let node = root;
  for (;;) {
    const children = node.children;
    // children are in source order: binary search for the last one starting at or before `start`
    let lo = 0;
    let hi = children.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (children[mid]!.range[0] <= start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const child = found >= 0 ? children[found] : undefined;
    if (!child || child.range[1] < end) return node;
    node = child;
  }
}
