// A small IAM policy evaluator for the tests: what moto does not check (it matches actions only, always
// against resource "*", and ignores conditions), evaluated the way IAM does for one identity policy.
// Allow when a statement allows and none denies; an explicit Deny wins; no match is an implicit deny.
// It knows the elements and operators deploy/iam-policy.json may use and refuses any other, so the
// policy cannot grow a clause these tests would silently read wrong.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** One authorization IAM makes: an action on a resource, with the request's condition keys. */
export interface AuthRequest {
  action: string;
  resource: string;
  /** Condition keys present in the request (absent keys are simply missing). */
  context: Record<string, string>;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Evaluation {
  decision: Decision;
  /** Sids of the statements that matched (allowing or denying). */
  statements: string[];
}

const OPERATORS = new Set(['StringEquals', 'StringLike', 'StringNotEquals', 'Null']);
const ELEMENTS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** IAM's wildcards: `*` any run of characters, `?` one character. */
function wildcard(pattern: string, value: string, caseless: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseless ? 'i' : '').test(value);
}

/** The request's value of a condition key; keys are case-insensitive. */
function contextValue(context: Record<string, string>, key: string): string | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : context[found];
}

function conditionHolds(operator: string, key: string, expected: string[], context: Record<string, string>): boolean {
  const actual = contextValue(context, key);
  switch (operator) {
    case 'Null': return expected.some((e) => (e === 'true') === (actual === undefined));
    case 'StringEquals': return actual !== undefined && expected.includes(actual);
    case 'StringLike': return actual !== undefined && expected.some((e) => wildcard(e, actual, false));
    // IAM: a negated operator is true when the key is absent.
    case 'StringNotEquals': return actual === undefined || !expected.includes(actual);
  }
  throw new Error(`condition operator ${operator} is not known to this evaluator`);
}

/** Refuses a document with elements or operators this evaluator does not implement. */
export function checkSupported(policy: PolicyDocument): void {
  for (const statement of policy.Statement) {
    for (const element of Object.keys(statement)) {
      if (!ELEMENTS.has(element)) throw new Error(`statement ${statement.Sid ?? '?'}: ${element} is not known to this evaluator`);
    }
    for (const operator of Object.keys(statement.Condition ?? {})) {
      if (!OPERATORS.has(operator)) throw new Error(`statement ${statement.Sid ?? '?'}: condition operator ${operator} is not known to this evaluator`);
    }
  }
}

function matches(statement: PolicyStatement, request: AuthRequest): boolean {
  if (!list(statement.Action).some((a) => wildcard(a, request.action, true))) return false;
  if (!list(statement.Resource).some((r) => wildcard(r, request.resource, false))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, list(expected), request.context)));
}

/** IAM's decision for one request under one identity policy (no boundary, no SCP, no resource policy). */
export function evaluate(policy: PolicyDocument, request: AuthRequest): Evaluation {
  checkSupported(policy);
  const hits = policy.Statement.filter((s) => matches(s, request));
  const statements = hits.map((s) => s.Sid ?? '(no Sid)');
  if (hits.some((s) => s.Effect === 'Deny')) return { decision: 'explicitDeny', statements };
  return { decision: hits.length > 0 ? 'allowed' : 'implicitDeny', statements };
}

/** Every action the policy names, as written (this policy uses no wildcards in actions). */
export function policyActions(policy: PolicyDocument): string[] {
  return [...new Set(policy.Statement.flatMap((s) => list(s.Action)))].sort();
}
