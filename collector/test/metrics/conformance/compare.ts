// Compares two Prometheus API answers: the same status and errorType; the same result type; the same
// series (labels exactly); values equal, or within 1e-9 relative (NaN equals NaN); timestamps equal.
// Series order only counts where the query orders them (sort, sort_desc, topk, bottomk at the top).

interface Envelope {
  status: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

type Pair = [number, string];
interface Series {
  metric: Record<string, string>;
  value?: Pair;
  values?: Pair[];
}

export const RELATIVE_TOLERANCE = 1e-9;

export function valuesClose(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  const scale = Math.max(Math.abs(x), Math.abs(y));
  return Math.abs(x - y) <= RELATIVE_TOLERANCE * scale || Math.abs(x - y) < 1e-300;
}

function key(metric: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((name) => [name, metric[name]]),
  );
}

/** null when equivalent, else what differs. */
export function compareAnswers(expected: Envelope, actual: Envelope, ordered: boolean): string | null {
  if (expected.status !== actual.status) {
    return `status: prometheus ${expected.status} (${expected.error ?? ''}), collector ${actual.status} (${actual.error ?? ''})`;
  }
  if (expected.status === 'error') {
    return expected.errorType === actual.errorType
      ? null
      : `errorType: prometheus ${expected.errorType}, collector ${actual.errorType}`;
  }
  const e = expected.data;
  const a = actual.data;
  if (!e || !a) return 'missing data';
  if (e.resultType !== a.resultType)
    return `resultType: prometheus ${e.resultType}, collector ${a.resultType}`;
  if (e.resultType === 'scalar' || e.resultType === 'string') {
    const [et, ev] = e.result as Pair;
    const [at, av] = a.result as Pair;
    if (et !== at) return `time: ${et} vs ${at}`;
    return e.resultType === 'string'
      ? ev === av
        ? null
        : `value ${ev} vs ${av}`
      : valuesClose(ev, av)
        ? null
        : `value ${ev} vs ${av}`;
  }
  const es = e.result as Series[];
  const as = a.result as Series[];
  if (es.length !== as.length) {
    const ek = new Set(es.map((s) => key(s.metric)));
    const ak = new Set(as.map((s) => key(s.metric)));
    const missing = [...ek].filter((k) => !ak.has(k)).slice(0, 2);
    const extra = [...ak].filter((k) => !ek.has(k)).slice(0, 2);
    return `series count: prometheus ${es.length}, collector ${as.length}; missing ${missing.join(' ')}; extra ${extra.join(' ')}`;
  }
  const byKey = new Map(as.map((s) => [key(s.metric), s]));
  for (let i = 0; i < es.length; i++) {
    const expectedSeries = es[i] as Series;
    const k = key(expectedSeries.metric);
    const actualSeries = ordered ? as[i] : byKey.get(k);
    if (!actualSeries || key(actualSeries.metric) !== k) {
      return `series ${k} ${ordered ? `not at position ${i}` : 'missing'}`;
    }
    const ep = expectedSeries.values ?? (expectedSeries.value ? [expectedSeries.value] : []);
    const ap = actualSeries.values ?? (actualSeries.value ? [actualSeries.value] : []);
    if (ep.length !== ap.length) return `series ${k}: ${ep.length} points vs ${ap.length}`;
    for (let j = 0; j < ep.length; j++) {
      const [et, ev] = ep[j] as Pair;
      const [at, av] = ap[j] as Pair;
      if (et !== at) return `series ${k}: point ${j} time ${et} vs ${at}`;
      if (!valuesClose(ev, av)) return `series ${k}: at ${et} value ${ev} vs ${av}`;
    }
  }
  return null;
}
