// The built dashboards as Grafana reads them: a schema version, unique uids and panel ids, every panel with a
// unit and a description, every data source UID provisioned, every variable a query references declared,
// and every PromQL query (after Grafana's variable substitution) valid for the collector's parser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePromQL } from '@dss/collector/promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDashboards, writeGrafanaFiles } from '../src/index.ts';
import { substituteVariables } from './substitute.ts';

const built = buildDashboards();

interface JsonPanel {
  id?: number;
  title?: string;
  description?: string;
  datasource?: { uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  gridPos?: { w: number; h: number; x: number; y: number };
}

const panelsOf = (json: unknown): JsonPanel[] => (json as { panels?: JsonPanel[] }).panels ?? [];
const variablesOf = (json: unknown): { name: string; query?: unknown; datasource?: { uid?: string } }[] =>
  (json as { templating?: { list?: { name: string; query?: unknown; datasource?: { uid?: string } }[] } })
    .templating?.list ?? [];

describe('the DSS dashboards', () => {
  it('have distinct uids, a schema version and panels with unique ids, units and descriptions', () => {
    const uids = built.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(built.length);
    for (const { json } of built) {
      expect(json.schemaVersion).toBeGreaterThanOrEqual(39);
      const panels = panelsOf(json);
      expect(panels.length).toBeGreaterThan(0);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels) {
        expect(panel.id, panel.title).toBeGreaterThan(0);
        expect(panel.description, panel.title).toBeTruthy();
        expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
        expect(panel.gridPos?.w, panel.title).toBeGreaterThan(0);
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      }
    }
  });

  it('use only the provisioned data sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dss-grafana-'));
    try {
      writeGrafanaFiles({ outDir: dir, url: 'http://127.0.0.1:3200', tenant: 'north' });
      const provisioning = parse(
        readFileSync(join(dir, 'provisioning', 'datasources', 'dss.yaml'), 'utf8'),
      ) as {
        datasources: {
          uid: string;
          type: string;
          jsonData: Record<string, unknown>;
          secureJsonData?: Record<string, string>;
        }[];
      };
      const uids = new Set(provisioning.datasources.map((d) => d.uid));
      expect([...uids].sort()).toEqual(['dss-loki', 'dss-prometheus', 'dss-tempo']);
      // The tenant header reaches every data source.
      for (const source of provisioning.datasources) {
        expect(source.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
        expect(source.secureJsonData?.httpHeaderValue1).toBe('north');
      }
      for (const file of built.map((d) => d.file)) {
        const json = JSON.parse(readFileSync(join(dir, 'dashboards', file), 'utf8')) as unknown;
        for (const panel of panelsOf(json)) {
          expect(uids.has(panel.datasource?.uid ?? ''), panel.title).toBe(true);
          for (const target of panel.targets ?? [])
            expect(uids.has(target.datasource?.uid ?? ''), panel.title).toBe(true);
        }
        for (const variable of variablesOf(json))
          expect(uids.has(variable.datasource?.uid ?? ''), variable.name).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reference only declared variables and Grafana built-ins, and every query parses', () => {
    for (const { json } of built) {
      const declared = new Set(variablesOf(json).map((v) => v.name));
      const texts = [
        ...panelsOf(json).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
        ...variablesOf(json).map((v) => JSON.stringify(v.query)),
      ];
      for (const text of texts) {
        for (const [, name] of text.matchAll(/\$\{?(\w+)/g)) {
          if (name?.startsWith('__')) continue;
          expect(declared.has(name ?? ''), `${json.uid}: $${name} in ${text}`).toBe(true);
        }
      }
      for (const panel of panelsOf(json)) {
        for (const target of panel.targets ?? []) {
          const query = substituteVariables(target.expr ?? '', {
            client: 'north',
            tank: 'T1',
            service: 'intake',
          });
          expect(() => parsePromQL(query), `${panel.title}: ${query}`).not.toThrow();
        }
      }
      for (const variable of variablesOf(json)) {
        const definition = (variable.query as { query: string }).query;
        const inner = /^label_values\((.*),\s*(\w+)\)$/.exec(definition);
        expect(inner, definition).not.toBeNull();
        expect(
          () => parsePromQL(substituteVariables(inner?.[1] ?? '', { client: 'north' })),
          definition,
        ).not.toThrow();
      }
    }
  });
});
