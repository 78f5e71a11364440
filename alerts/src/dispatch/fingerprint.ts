// The fingerprint that identifies an alert by its labels, as Prometheus and Alertmanager compute it.

const OFFSET = 14695981039346656037n;
const PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;

/** Prometheus's label set fingerprint (FNV-1a 64 over sorted name, 0xff, value, 0xff), as 16 hex digits. */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  let h = OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  };
  const enc = new TextEncoder();
  const sep = new Uint8Array([0xff]);
  for (const name of Object.keys(labels).sort()) {
    add(enc.encode(name));
    add(sep);
    add(enc.encode(labels[name] ?? ''));
    add(sep);
  }
  return h.toString(16).padStart(16, '0');
}
