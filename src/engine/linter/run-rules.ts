// Runs ESLint-shaped rules over the calls of an analysed file and turns reports into findings.

import { rules as allRules } from '../../rules/index.js';
import type { Fix as RuleFix, GranuleRule, RuleFixer } from '../../rules/create-rule.js';
import type { AllocationCall, FileAnalysis } from '../analysis/facts.js';
import type { Finding, Level, Suggestion, TargetSetting } from '../model/types.js';
import { compareText } from '../model/order.js';

export type RuleSetting = Level | [Level, ...unknown[]];

export interface ActiveRule {
  rule: GranuleRule<string, unknown[]>;
  level: 'warn' | 'error';
  options: unknown[];
}

export function activeRules(settings: Record<string, RuleSetting>): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of allRules) {
    const setting = settings[rule.name] ?? rule.meta.defaultLevel;
    const [level, ...options] = Array.isArray(setting) ? setting : [setting];
    if (level === 'off') continue;
    active.push({ rule, level, options: mergeOptions(rule.meta.defaultOptions, options) });
  }
  return active;
}

function mergeOptions(defaults: unknown[], given: unknown[]): unknown[] {
  const length = Math.max(defaults.length, given.length);
  return Array.from({ length }, (_, i) => {
    const d = defaults[i];
    const g = given[i];
    if (d && typeof d === 'object' && !Array.isArray(d) && g && typeof g === 'object' && !Array.isArray(g)) return { ...d, ...g };
    return g ?? d;
  });
}

/** A rule that threw on a file: its findings for the file are missing. */
export interface RuleFailure {
  ruleId: string;
  message: string;
}

/**
 * Runs the rules on the calls of one analysed file. A rule that throws costs only its own findings for the file:
 * it is named in `failures`, and the other rules' findings stand.
 */
export function runRules(analysis: FileAnalysis, active: ActiveRule[], settings: { target: TargetSetting }): { findings: Finding[]; failures: RuleFailure[] } {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const fixer: RuleFixer = { replaceTextRange: (range, text) => ({ range, text }) };
  const toFix = (result: RuleFix | RuleFix[] | null | undefined) => {
    if (!result) return undefined;
    const edits = (Array.isArray(result) ? result : [result]).map((f) => ({ range: f.range, text: f.text }));
    return { file: analysis.file, edits };
  };
  for (const { rule, level, options } of active) {
    const own: Finding[] = [];
    try {
      const visitor = rule.create({
        id: rule.name,
        options,
        settings: { granule: { target: typeof settings.target === 'string' ? settings.target : settings.target[0] } },
        report(d) {
          const template = rule.meta.messages[d.messageId] ?? d.messageId;
          const message = interpolate(template, d.data);
          const suggestions: Suggestion[] = [];
          for (const s of d.suggest ?? []) {
            const fix = toFix(s.fix(fixer));
            if (fix) suggestions.push({ desc: interpolate(rule.meta.messages[s.messageId] ?? s.messageId, s.data), fix });
          }
          const finding = toFinding(
            d.node,
            rule.name,
            d.severity ?? level,
            d.messageId,
            message,
            d.data ?? {},
            d.fix ? toFix(d.fix(fixer)) : undefined,
            suggestions,
          );
          own.push(d.related?.length ? { ...finding, related: d.related } : finding);
        },
      });
      for (const call of analysis.calls) visitor.AllocationCall?.(call);
    } catch (e) {
      failures.push({ ruleId: rule.name, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    findings.push(...own);
  }
  findings.sort((a, b) => a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId));
  return { findings, failures };
}

function toFinding(
  call: AllocationCall,
  ruleId: string,
  level: 'warn' | 'error',
  messageId: string,
  message: string,
  data: Record<string, string>,
  fix: Finding['fix'],
  suggestions: Suggestion[],
): Finding {
  const properties: Finding['properties'] = { api: call.api, callee: call.callee };
  if (call.size.value.known) properties.size = call.size.value.value.toString();
  if (data.unusable) properties.unusable = data.unusable;
  if (data.offset) properties.offset = data.offset;
  // the size a fix would write, for reports
  if (data.rounded) properties.rounded = data.rounded;
  if (!call.size.value.known) properties.reason = call.size.value.reason;
  // a size that depends on the path: the path reported and its size
  if (data.when && data.pathSize) Object.assign(properties, { when: data.when, size: data.pathSize });
  if (call.lifetime) properties.lifetime = call.lifetime.kind;
  // a lost address: how it is lost (the place is the finding's related location)
  if (data.lost) properties.lost = data.lost;
  return {
    ruleId,
    severity: level,
    file: call.file,
    range: call.range,
    messageId,
    message,
    api: call.api,
    properties,
    evidence: call.evidence,
    callText: call.callText,
    enclosingFunction: call.enclosingFunction,
    fix,
    suggestions,
  };
}

export function interpolate(template: string, data: Record<string, string> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => data?.[key] ?? m);
}
