// Inhibition (Alertmanager's inhibit/inhibit.go): an alert is left out of notifications while a firing alert
// matching an inhibit rule's source matchers, with the same values of the rule's `equal` labels, exists and
// the alert matches the target matchers. An alert matching both sides of a rule cannot be inhibited, by that
// rule, by another alert that matches both sides (excludeTwoSidedMatch).
import type { InhibitRule } from '../dispatch/config.ts';
import { matches } from '../dispatch/matchers.ts';

export interface InhibitableAlert {
  fingerprint: string;
  labels: Readonly<Record<string, string>>;
  endsAtMs: number;
}

export function inhibits(rule: InhibitRule, source: InhibitableAlert, target: InhibitableAlert): boolean {
  if (source.fingerprint === target.fingerprint) return false;
  if (!matches(rule.targetMatchers, target.labels) || !matches(rule.sourceMatchers, source.labels))
    return false;
  for (const name of rule.equal)
    if ((source.labels[name] ?? '') !== (target.labels[name] ?? '')) return false;
  if (matches(rule.targetMatchers, source.labels) && matches(rule.sourceMatchers, target.labels))
    return false;
  return true;
}

/** The fingerprint of a firing alert among `sources` that inhibits `target` at `nowMs`, if any. */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  sources: Iterable<InhibitableAlert>,
  target: InhibitableAlert,
  nowMs: number,
): string | undefined {
  if (rules.length === 0) return undefined;
  for (const source of sources)
    if (source.endsAtMs > nowMs)
      for (const rule of rules) if (inhibits(rule, source, target)) return source.fingerprint;
  return undefined;
}
