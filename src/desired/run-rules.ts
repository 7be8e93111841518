// Runs a kind's rules (its constraint rows and its check function) on one document and turns their findings into diagnostics.
// Rules run on documents with schema errors too; a finding at or under a field the schema already
// reported is dropped, so a mistake is told once and never contradicted.
import type { JsonObject } from '../core/types.js';
import { checkConstraints } from './constraints.js';
import type { Candidate, Findings } from './documents.js';
import type { Finding, RuleContext } from './kind-rules.js';
import { isCovered } from './validate.js';

/** The findings of the kind's rules on the candidate's draft, minus those the schema errors cover. */
export function kindFindings(c: Candidate, ctx: RuleContext): Finding[] {
  if (!c.draft) return [];
  const rules = c.rules;
  const findings = [...checkConstraints(rules.constraints, c.draft as unknown as JsonObject), ...rules.check(c.draft, ctx)];
  return findings.filter((f) => !isCovered(f.path, c.covered));
}

/** Pushes the candidate's rule findings into `out`, positioned in its file. */
export function runKindRules(c: Candidate, ctx: RuleContext, out: Findings): void {
  for (const f of kindFindings(c, ctx)) {
    const d = f.at === 'missing' ? c.locator.missing(f.path, f.message, f.severity) : c.locator.diagnostic(f.path, f.message, f.severity, f.at);
    (d.severity === 'error' ? out.errors : out.warnings).push(d);
  }
}
