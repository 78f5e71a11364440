// Faults to inject into the simulated network, each for one client (and one tank, pump or tag),
// from a start time (and optionally until an end time).
//
//   leak          a tank loses water the outflow meter does not see (extra, unmetered outflow)
//   stuck-sensor  a tank's level tag repeats its last value (quality still GOOD)
//   missing-feed  no file at all for the client, or one tag missing from its files
//   pump-fail     a pump does not start when commanded: its run state stays 0, no flow, no power
//   bad-rows      a few malformed rows in each file (to exercise the intake's quarantine)

export type FaultKind = 'leak' | 'stuck-sensor' | 'missing-feed' | 'pump-fail' | 'bad-rows';
export const FAULT_KINDS: readonly FaultKind[] = [
  'leak',
  'stuck-sensor',
  'missing-feed',
  'pump-fail',
  'bad-rows',
];

interface FaultWindow {
  client: string;
  /** When the fault starts (default: from the start of the simulation). */
  from?: Date | string | number;
  /** When it ends (default: never). */
  until?: Date | string | number;
}

export type Fault =
  | (FaultWindow & {
      kind: 'leak';
      tank: string;
      /** Lost water, m³/h. Default: 40 % of the tank's mean demand. */
      rateM3h?: number;
    })
  | (FaultWindow & { kind: 'stuck-sensor'; tank: string })
  | (FaultWindow & {
      kind: 'missing-feed';
      /** Only this tag is missing; without it, the client's files are. */
      tag?: string;
    })
  | (FaultWindow & { kind: 'pump-fail'; pump: string })
  | (FaultWindow & {
      kind: 'bad-rows';
      /** Malformed rows per file. Default 3. */
      count?: number;
    });

function toMs(value: Date | string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`bad fault time ${JSON.stringify(value)}`);
  return ms;
}

/** The tank or pump a fault hits (undefined for the client-wide ones). */
export function faultTarget(fault: Fault): string | undefined {
  if (fault.kind === 'leak' || fault.kind === 'stuck-sensor') return fault.tank;
  if (fault.kind === 'pump-fail') return fault.pump;
  return undefined;
}

/** Whether a fault is in force at a time. */
export function faultActive(fault: Fault, timeMs: number): boolean {
  return (
    timeMs >= toMs(fault.from, Number.NEGATIVE_INFINITY) &&
    timeMs < toMs(fault.until, Number.POSITIVE_INFINITY)
  );
}

/** Checks a fault's times and target, so that a typo fails at start-up rather than silently doing nothing. */
export function checkFault(
  fault: Fault,
  known: { client: string; tanks: string[]; pumps: string[] }[],
): void {
  toMs(fault.from, 0);
  toMs(fault.until, 0);
  const client = known.find((c) => c.client === fault.client);
  if (!client) throw new Error(`fault ${fault.kind}: unknown client ${JSON.stringify(fault.client)}`);
  if ((fault.kind === 'leak' || fault.kind === 'stuck-sensor') && !client.tanks.includes(fault.tank))
    throw new Error(`fault ${fault.kind}: unknown tank ${fault.client}/${fault.tank}`);
  if (fault.kind === 'pump-fail' && !client.pumps.includes(fault.pump))
    throw new Error(`fault pump-fail: unknown pump ${fault.client}/${fault.pump}`);
  if (fault.kind === 'leak' && fault.rateM3h !== undefined && !(fault.rateM3h >= 0))
    throw new Error('fault leak: rate must be >= 0');
  if (
    fault.kind === 'bad-rows' &&
    fault.count !== undefined &&
    !(Number.isInteger(fault.count) && fault.count >= 0)
  )
    throw new Error('fault bad-rows: count must be an integer >= 0');
}

/**
 * A fault from its command-line form: the kind, then comma-separated key=value pairs.
 *
 *   leak,client=north,tank=T1,from=2026-01-05T06:00:00Z,rate=30
 *   stuck-sensor,client=north,tank=T2
 *   missing-feed,client=south            missing-feed,client=north,tag=T3.LEVEL
 *   pump-fail,client=north,pump=P3,from=2026-01-05T00:00:00Z,until=2026-01-06T00:00:00Z
 *   bad-rows,client=south,count=5
 */
export function parseFault(spec: string): Fault {
  const [kind, ...pairs] = spec.split(',').map((s) => s.trim());
  if (!FAULT_KINDS.includes(kind as FaultKind))
    throw new Error(`unknown fault ${JSON.stringify(kind)}; one of ${FAULT_KINDS.join(', ')}`);
  const fields = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`fault ${kind}: expected key=value, got ${JSON.stringify(pair)}`);
    fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const take = (key: string, required: boolean): string | undefined => {
    const value = fields.get(key);
    fields.delete(key);
    if (required && !value) throw new Error(`fault ${kind}: ${key}= is required`);
    return value;
  };
  const number = (key: string): number | undefined => {
    const text = take(key, false);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw new Error(`fault ${kind}: ${key} must be a number`);
    return value;
  };
  const window: FaultWindow = { client: take('client', true) as string };
  const from = take('from', false);
  const until = take('until', false);
  if (from !== undefined) window.from = from;
  if (until !== undefined) window.until = until;
  let fault: Fault;
  switch (kind as FaultKind) {
    case 'leak': {
      const rate = number('rate');
      fault = {
        kind: 'leak',
        ...window,
        tank: take('tank', true) as string,
        ...(rate === undefined ? {} : { rateM3h: rate }),
      };
      break;
    }
    case 'stuck-sensor':
      fault = { kind: 'stuck-sensor', ...window, tank: take('tank', true) as string };
      break;
    case 'missing-feed': {
      const tag = take('tag', false);
      fault = { kind: 'missing-feed', ...window, ...(tag === undefined ? {} : { tag }) };
      break;
    }
    case 'pump-fail':
      fault = { kind: 'pump-fail', ...window, pump: take('pump', true) as string };
      break;
    case 'bad-rows': {
      const count = number('count');
      fault = { kind: 'bad-rows', ...window, ...(count === undefined ? {} : { count }) };
      break;
    }
  }
  if (fields.size > 0) throw new Error(`fault ${kind}: unknown key(s) ${[...fields.keys()].join(', ')}`);
  toMs(fault.from, 0);
  toMs(fault.until, 0);
  return fault;
}
