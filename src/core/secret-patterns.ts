// What a secret looks like by its value, whatever name it is stored under: credentials in URLs,
// Authorization values, secret command-line arguments and assignments, private keys, AWS secret
// access keys, well-known token formats and long random tokens. redact.ts applies these to every
// string that leaves the process; this file only knows the shapes.

/** What a masked value, or the masked part of a value, is replaced with. */
export const MASK = '***';

/** Names that hold secrets: SECRET, PASSWORD, TOKEN, KEY, CREDENTIAL, PASSPHRASE, in any case. */
const SECRET_WORDS = /secret|passw(?:or)?d|passphrase|token|key|credential/i;
/** `DB_PASS`, `SMTP_PWD`, `BASIC_AUTH`, `dbPass`: short secret words as the last part of a name. */
const SECRET_SUFFIX = /(?:^|[^A-Za-z0-9])(?:pass|pwd|auth)$/i;
const SECRET_CAMEL_SUFFIX = /[a-z0-9](?:Pass|Pwd|Auth)$/;
/** A secret-looking name that holds where a secret is, not the secret: `--token-file`, `KEY_PATH`. */
const REFERENCE_SUFFIX = /[-_.]?(?:file|path|dir|arn|id)$/i;

/** Whether values stored under `name` are secrets (`DB_PASSWORD`, `api-key`, `SMTP_PASS`). */
export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name) || SECRET_SUFFIX.test(name) || SECRET_CAMEL_SUFFIX.test(name);
}

/** Words that make any name a secret's wherever they stand in it (`SECRET_KEY_BASE`, `--db-password-x`). */
const STRONG_WORDS = /secret|passw(?:or)?d|passphrase|credential/i;
/** Words that name a secret only as the last part of a name (`--api-key`, `authToken`), not `--key-schema` or `KeyType`. */
const WEAK_LAST = /^(?:key|token|pass|pwd|auth)$/i;

/** A name's parts: split at `-`, `_`, `.` and camelCase humps (`apiKey` -> api, Key). */
function nameParts(name: string): string[] {
  return name.split(/[-_.]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
}

/**
 * A flag or assignment in free text whose value is a secret itself, not the path or id of one. Stricter
 * than isSecretName, which judges the names of structured values (environment variables): in command
 * lines and messages `key` and `token` are common parts of ordinary names (`--key-schema`, `KeyType=HASH`).
 */
function isSecretArgument(name: string): boolean {
  if (!isSecretName(name) || REFERENCE_SUFFIX.test(name) || name.toLowerCase() === 'key') return false;
  return STRONG_WORDS.test(name) || WEAK_LAST.test(nameParts(name).pop() ?? '');
}

/** A whole ARN: a reference to a resource (`secrets[].valueFrom`), never a secret itself. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/;
const ARN_IN_TEXT = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"',;]+/g;

export function isArn(value: string): boolean {
  return ARN.test(value);
}

/** An AWS access key id: not a secret by itself, but it says that a secret key is near. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b/;
/** An AWS secret access key: 40 characters of base64, upper and lower case mixed (a git SHA is not). */
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

export function hasAccessKeyId(text: string): boolean {
  return ACCESS_KEY_ID.test(text);
}

/** Whether a whole value is shaped like an AWS secret access key. */
export function isSecretAccessKey(value: string): boolean {
  return value.length === 40 && /^[A-Za-z0-9/+]+$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value);
}

const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
/** `Bearer <token>`; `Basic <base64>` only when it looks encoded, so "Basic authentication" stays. */
const BEARER = /\b(Bearer[ \t]+)[A-Za-z0-9._~+/=-]{8,}/gi;
const BASIC = /\b(Basic[ \t]+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi;
const AUTH_HEADER = /\b((?:Proxy-)?Authorization["']?[ \t]*[:=][ \t]*["']?)(?!Bearer\b|Basic\b|\*\*\*)[^\s"',;]+(?:[ \t]+[^\s"',;]+)?/gi;
/** `--password=x`, `--db-token x`, `-p x` is not covered (too ambiguous). */
const FLAG = /(^|\s)(--?[A-Za-z][\w.-]*)(=|[ \t]+)("[^"]*"|'[^']*'|[^\s"']+)/g;
/** `DB_PASSWORD=x` inside a command line or a connection string. */
const ASSIGNMENT = /(^|[\s;&|"'(?])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s"'&;|)]+)/g;
/** Token formats with a known prefix: GitHub, GitLab, Slack, Stripe, npm. */
const KNOWN_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprse]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36})\b/g;
/** Candidates for the random-token test: runs of token characters ('/', '.' and ':' separate). */
const TOKEN_RUN = /[A-Za-z0-9+_-]{32,}={0,2}/g;

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

const charClass = (c: string) => (c >= 'A' && c <= 'Z' ? 0 : c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 3);

/**
 * A long random token: at least 32 characters with upper case, lower case and digits, at least 4.3
 * bits of entropy per character, and a change of character class between at least half of the
 * neighbouring characters. Words glued together (`ProdWebServiceTargetGroup2024`) change class only
 * at word boundaries; hex digests, UUIDs and git SHAs have no upper case.
 */
export function isRandomToken(token: string): boolean {
  if (token.length < 32 || !/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token)) return false;
  let changes = 0;
  for (let i = 1; i < token.length; i++) if (charClass(token[i]!) !== charClass(token[i - 1]!)) changes++;
  return changes / (token.length - 1) >= 0.5 && entropy(token) >= 4.3;
}

/** Applies `fn` to the parts of `text` outside ARNs (an ARN's ids are not secrets). */
function outsideArns(text: string, fn: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(ARN_IN_TEXT)) {
    out += fn(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fn(text.slice(last));
}

/**
 * A URL as it may be shown: a password, or an http(s) user name (often a token), becomes `***`. An
 * ssh or database user name is kept: it is not a secret. The user info runs to the last `@` before
 * the path, so a password holding `@` is masked whole.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s?#]*)@/i, (whole, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
    return /^https?:/i.test(scheme) ? `${scheme}${MASK}@` : whole;
  });
}

const quoted = (value: string, replacement: string) => (/^["']/.test(value) ? `${value[0]}${replacement}${value[0]}` : replacement);

/** `text` with every secret-looking part replaced by `***`; the rest, names included, stays. */
export function maskText(text: string): string {
  if (text.length < 8 || text === MASK) return text;
  let out = text.replace(PRIVATE_KEY, (_m, kind: string, block = '') => `-----BEGIN ${kind}PRIVATE KEY${block}-----${MASK}-----END ${kind}PRIVATE KEY${block}-----`);
  out = out.replace(URL_IN_TEXT, (url) => redactUrl(url));
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme}${MASK}`);
  out = out.replace(BASIC, (m, scheme: string, value: string) => (/[0-9+/=]|.[A-Z]/.test(value) ? `${scheme}${MASK}` : m));
  out = out.replace(AUTH_HEADER, (_m, head: string) => `${head}${MASK}`);
  out = out.replace(FLAG, (m, lead: string, flag: string, sep: string, value: string) => {
    const name = flag.replace(/^-+/, '');
    if (!isSecretArgument(name) || (sep !== '=' && value.startsWith('-')) || value === MASK) return m;
    return `${lead}${flag}${sep}${quoted(value, MASK)}`;
  });
  out = out.replace(ASSIGNMENT, (m, lead: string, name: string, value: string) =>
    (isSecretArgument(name) && value !== MASK ? `${lead}${name}=${quoted(value, MASK)}` : m));
  out = out.replace(KNOWN_TOKEN, MASK);
  const nearKeyId = hasAccessKeyId(out);
  return outsideArns(out, (part) => {
    let p = nearKeyId ? part.replace(SECRET_ACCESS_KEY, (m) => (isSecretAccessKey(m) ? MASK : m)) : part;
    p = p.replace(TOKEN_RUN, (m) => (isRandomToken(m) ? MASK : m));
    return p;
  });
}

/** Whether an argument of a command list is a flag whose value is the next argument (`--password`). */
export function takesSecretArgument(arg: string): boolean {
  const m = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
  return m !== null && isSecretArgument(m[1]!);
}
