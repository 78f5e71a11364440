// Number formatting shared by the Markdown, HTML and Slack renderings of the weekly report.

/** Hours as minutes under one hour, hours under two days, else days. `–` for no value. */
export const hours = (h: number | null): string => {
  if (h === null) return '–';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
};

/** A ratio as a percentage with one decimal. */
export const pct = (r: number | null): string => (r === null ? '–' : `${Math.round(r * 1000) / 10} %`);

/** A count or rate with at most two decimals. */
export const num = (x: number | null): string => (x === null ? '–' : String(Math.round(x * 100) / 100));

/** `HH:MM` of an ISO instant, with its date: `2026-11-17 14:05 UTC`. */
export const when = (iso: string | null): string =>
  iso === null ? '–' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
