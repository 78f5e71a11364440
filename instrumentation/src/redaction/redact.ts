// Secret scrubbing for everything this package emits: log records, span attributes and events.
// Two rules: a value under a secret-sounding key is replaced whole, and secrets embedded in
// free text (credentials in URLs, bearer tokens, Slack webhook paths, token query parameters)
// are cut out of it.

export const REDACTED = '[REDACTED]';

// Keys whose value is a secret whatever it looks like. Matched on the last segment of a dotted
// key, so `http.request.header.authorization` and `gitlab.token` are caught too.
const SECRET_KEY =
  /(^|[._-])(authorization|proxy-authorization|cookie|set-cookie|password|passwd|pwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|private[_-]?token|api[_-]?key|apikey|x-api-key|webhook[_-]?url|webhook|dsn|private[_-]?key|session[_-]?id)$/i;

const TEXT_RULES: ReadonlyArray<[RegExp, string]> = [
  // user:password@host in any URL
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^@\s/]+@/gi, `$1:${REDACTED}@`],
  // Slack (and similar) incoming webhooks carry their secret in the path
  [/\b(https?:\/\/hooks\.slack\.com\/services\/)[^\s"'<>]+/gi, `$1${REDACTED}`],
  [/\b(https?:\/\/[^\s/]+\/(?:api\/)?webhooks?\/)[^\s"'<>]+/gi, `$1${REDACTED}`],
  // Authorization schemes
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  // token-like query or form parameters, in a URL or alone (`url.query` holds no '?')
  [
    /((?:^|[?&;\s])(?:access_token|private_token|token|api_key|apikey|key|password|secret|signature|sig|client_secret|auth)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  ],
  // GitLab and Slack tokens wherever they appear
  [/\bglpat-[A-Za-z0-9_-]{10,}/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
];

// Attribute keys repeat endlessly (the same few dozen per span), so remember the verdicts.
const keyVerdicts = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  }
  return verdict;
}

// Every text rule needs one of these somewhere in the text; most attribute values (routes, ids,
// numbers as text) have none, and skip the seven replacements. Redaction runs on every span.
const MIGHT_HOLD_SECRET = /:\/\/|bearer|basic|token|=|glpat-|xox/i;

export function redactText(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A redacted copy of any JSON-like value (objects, arrays, strings). Depth-limited so that a
 * cyclic or huge structure costs a bounded amount of work.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Uint8Array || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** The attribute entries that must change, as [key, new value] pairs (empty when clean). */
export function attributeRedactions(attributes: Readonly<Record<string, unknown>>): Array<[string, unknown]> {
  const changes: Array<[string, unknown]> = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (isSecretKey(key)) {
      if (value !== REDACTED) changes.push([key, REDACTED]);
      continue;
    }
    if (typeof value === 'string') {
      const redacted = redactText(value);
      if (redacted !== value) changes.push([key, redacted]);
    } else if (value !== null && typeof value === 'object') {
      const redacted = redactValue(value);
      if (JSON.stringify(redacted) !== JSON.stringify(value)) changes.push([key, redacted]);
    }
  }
  return changes;
}
