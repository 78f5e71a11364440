// The archive of published weekly reports: once a week has ended (and, with GitLab configured, a sync has run
// after its end), its report is rendered once in every format and stored, and served as stored from then on,
// so a report stays as it was published even when later data (an incident next week) changes the figures.
import { renderHtml } from '../report/html/index.ts';
import { renderMarkdown, type WeeklyReport } from '../report/weekly.ts';
import type { Db } from '../store/db.ts';

export const FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export function renderReport(report: WeeklyReport, format: ReportFormat): string {
  if (format === 'html') return renderHtml(report);
  if (format === 'md') return renderMarkdown(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface StoredReport {
  week: string;
  client: string | null;
  timeZone: string;
  format: ReportFormat;
  contentType: string;
  body: string;
  publishedAt: number;
}

interface Row {
  week: string;
  client: string;
  time_zone: string;
  format: ReportFormat;
  content_type: string;
  body: string;
  published_at: number;
}

const fromRow = (r: Row): StoredReport => ({
  week: r.week,
  client: r.client === '' ? null : r.client,
  timeZone: r.time_zone,
  format: r.format,
  contentType: r.content_type,
  body: r.body,
  publishedAt: r.published_at,
});

export class ReportArchive {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  get(week: string, client: string | null, timeZone: string, format: ReportFormat): StoredReport | null {
    const row = this.#db
      .prepare('SELECT * FROM reports WHERE week = ? AND client = ? AND time_zone = ? AND format = ?')
      .get(week, client ?? '', timeZone, format) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Stores every format of one report; a report already published is kept (the first publication wins). */
  publish(report: WeeklyReport, client: string | null, at: number): void {
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO reports (week, client, time_zone, format, content_type, body, published_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#db.transaction(() => {
      for (const format of FORMATS)
        insert.run(
          report.week,
          client ?? '',
          report.timeZone,
          format,
          CONTENT_TYPES[format],
          renderReport(report, format),
          at,
        );
    })();
  }

  list(): {
    week: string;
    client: string | null;
    timeZone: string;
    formats: ReportFormat[];
    publishedAt: number;
  }[] {
    const rows = this.#db
      .prepare(
        `SELECT week, client, time_zone, group_concat(format) AS formats, min(published_at) AS published_at
         FROM reports GROUP BY week, client, time_zone ORDER BY week DESC, client, time_zone`,
      )
      .all() as { week: string; client: string; time_zone: string; formats: string; published_at: number }[];
    return rows.map((r) => ({
      week: r.week,
      client: r.client === '' ? null : r.client,
      timeZone: r.time_zone,
      formats: r.formats.split(',').sort() as ReportFormat[],
      publishedAt: r.published_at,
    }));
  }
}
