// Escaping for the HTML report: every text and attribute value goes through `esc`, every link through `href`.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value, escaped for HTML (both contexts: `&<>"'`). */
export const esc = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** An http(s) URL for `href`, escaped; anything else (javascript:, data:, relative) becomes `#`. */
export const href = (url: string | null | undefined): string =>
  url && /^https?:\/\/[^\s]+$/i.test(url) ? esc(url) : '#';

/** A link whose text is escaped. */
export const link = (url: string | null | undefined, text: string): string =>
  `<a href="${href(url)}" style="color:#0b57d0;text-decoration:none">${esc(text)}</a>`;
