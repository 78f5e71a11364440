// GitLab webhooks: the shared secret (X-Gitlab-Token) compared in constant time, the project an event is
// about, and a per-project debounce so a burst of events (a merge, its pipeline, its deployment) triggers one
// incremental sync of that project. The periodic full sync reconciles anything a lost event missed.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant time in the secret's and the header's contents and lengths (both are hashed first). */
export function tokenMatches(given: string | undefined, secret: string): boolean {
  const a = createHash('sha256')
    .update(given ?? '')
    .digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b) && given !== undefined && secret !== '';
}

/** The events that change what the DORA keys are computed from (`build` = job events, for deploy.type job). */
export const SYNC_EVENTS = new Set([
  'deployment',
  'merge_request',
  'issue',
  'work_item',
  'pipeline',
  'build',
]);

export type WebhookEvent =
  | { kind: string; projectId: number; relevant: true }
  | { kind: string; projectId: number | null; relevant: false; reason: string };

export function parseEvent(body: unknown): WebhookEvent {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { kind: '', projectId: null, relevant: false, reason: 'not a JSON object' };
  const b = body as { object_kind?: unknown; project?: { id?: unknown }; project_id?: unknown };
  const kind = typeof b.object_kind === 'string' ? b.object_kind : '';
  const id = b.project?.id ?? b.project_id;
  const projectId = typeof id === 'number' && Number.isInteger(id) ? id : null;
  if (!SYNC_EVENTS.has(kind))
    return {
      kind,
      projectId,
      relevant: false,
      reason: `event ${kind || '(no object_kind)'} does not affect the DORA keys`,
    };
  if (projectId === null) return { kind, projectId, relevant: false, reason: 'no project id in the event' };
  return { kind, projectId, relevant: true };
}

/** Collects project ids and calls `run` with all of them `delayMs` after the last one arrived. */
export class Debouncer {
  readonly #delayMs: number;
  readonly #run: (projects: number[]) => void;
  readonly #pending = new Set<number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(delayMs: number, run: (projects: number[]) => void) {
    this.#delayMs = delayMs;
    this.#run = run;
  }

  add(projectId: number): void {
    this.#pending.add(projectId);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.#delayMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.size === 0) return;
    const projects = [...this.#pending].sort((a, b) => a - b);
    this.#pending.clear();
    this.#run(projects);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.clear();
  }
}
