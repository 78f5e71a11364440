// How spans are found by trace id. A trace's spans that arrive in one export are stored in consecutive
// rows, and `trace_groups` has one entry per such run: (trace_id, first_row, last_row). Before schema
// version 6 a unique index on spans (trace_id, span_id) took an entry for every span; trace ids are
// random, so every commit rewrote a page of that index for nearly every span it stored: about a quarter
// of the cost of writing a span (24.7 against 18.7 µs in bench/collector/ingest-phases.ts). A run of
// eight spans now takes one entry.
//
// Entries whose rows retention has deleted are dropped once every row up to theirs is gone; until then
// they match nothing, because every lookup also checks the span's own trace_id (a row id can be used
// again once the newest rows are deleted).

/**
 * FROM clause of the spans of trace @traceId: `s` is the span, `g` its group. The groups come first and
 * their rows are read by id: CROSS JOIN fixes that order (SQLite never reorders it) and NOT INDEXED keeps
 * the spans to rowid lookups. Left to itself, with a tenant filter on resource_id, the planner walked every
 * span of the tenant's resources instead.
 */
export const SPANS_OF_TRACE = `trace_groups g CROSS JOIN spans s NOT INDEXED
  ON s.id BETWEEN g.first_row AND g.last_row AND s.trace_id = g.trace_id`;

/** Whether the store has any span of trace ?. */
export const TRACE_EXISTS = 'SELECT 1 FROM trace_groups WHERE trace_id = ? LIMIT 1';

/** The span ids the store has for trace ?. */
export const SPAN_IDS_OF_TRACE = `SELECT s.span_id FROM ${SPANS_OF_TRACE} WHERE g.trace_id = ?`;

export const INSERT_TRACE_GROUP = 'INSERT INTO trace_groups (trace_id, first_row, last_row) VALUES (?, ?, ?)';

/** After retention: drops the entries below the oldest span left (every entry when none is left). */
export const DELETE_DEAD_TRACE_GROUPS = `DELETE FROM trace_groups
  WHERE last_row < coalesce((SELECT min(id) FROM spans), 9223372036854775807)`;
