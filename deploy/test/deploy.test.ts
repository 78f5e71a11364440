// The scale-out configuration checked with what runs here: the real promtool on the Prometheus
// configuration with the shipped rules, the real amtool on the shipped routing, and structural checks of
// what has no validator on this machine (the OpenTelemetry Collector configuration, the compose file).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const deployDir = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = resolve(deployDir, '..');
const PROMTOOL = '/usr/bin/promtool';
const AMTOOL = '/usr/bin/amtool';
const haveTools = existsSync(PROMTOOL) && existsSync(AMTOOL);
if (!haveTools && process.env.CI)
  throw new Error('deploy tests need promtool and amtool (Debian prometheus, prometheus-alertmanager)');

const readYaml = (path: string) => parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe.skipIf(!haveTools)('deploy/ with the real tools', () => {
  it('promtool accepts the Prometheus configuration with the shipped rule files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dss-deploy-'));
    try {
      copyFileSync(join(deployDir, 'prometheus/prometheus.yml'), join(dir, 'prometheus.yml'));
      mkdirSync(join(dir, 'rules'));
      for (const file of readdirSync(join(repoRoot, 'alerts/rules')).filter((f) =>
        f.endsWith('.rules.yml'),
      )) {
        copyFileSync(join(repoRoot, 'alerts/rules', file), join(dir, 'rules', file));
      }
      const output = execFileSync(PROMTOOL, ['check', 'config', join(dir, 'prometheus.yml')], {
        encoding: 'utf8',
      });
      expect(output).toMatch(/SUCCESS/);
      expect(output).toMatch(/rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('amtool accepts the routing that Alertmanager mounts', () => {
    const output = execFileSync(
      AMTOOL,
      ['check-config', join(repoRoot, 'alerts/routing/dss.alertmanager.yml')],
      { encoding: 'utf8' },
    );
    expect(output).toMatch(/SUCCESS/);
  });
});

describe('the OpenTelemetry Collector configuration', () => {
  const config = readYaml(join(deployDir, 'otel-collector/config.yaml')) as {
    receivers: Record<string, unknown>;
    processors: Record<string, unknown>;
    exporters: Record<string, unknown>;
    connectors?: Record<string, unknown>;
    extensions?: Record<string, unknown>;
    service: {
      extensions?: string[];
      pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }>;
    };
  };
  const pipelines = Object.entries(config.service.pipelines);

  it('has a traces, a metrics and a logs pipeline whose components are all defined', () => {
    expect(Object.keys(config.service.pipelines).sort()).toEqual(['logs', 'metrics', 'traces']);
    const connectors = Object.keys(config.connectors ?? {});
    for (const [name, pipeline] of pipelines) {
      for (const receiver of pipeline.receivers) {
        expect(
          receiver in config.receivers || connectors.includes(receiver),
          `${name}: receiver ${receiver}`,
        ).toBe(true);
      }
      for (const processor of pipeline.processors ?? [])
        expect(processor in config.processors, `${name}: processor ${processor}`).toBe(true);
      for (const exporter of pipeline.exporters) {
        expect(
          exporter in config.exporters || connectors.includes(exporter),
          `${name}: exporter ${exporter}`,
        ).toBe(true);
      }
    }
    for (const extension of config.service.extensions ?? [])
      expect(extension in (config.extensions ?? {})).toBe(true);
  });

  it('limits memory first and batches last in every pipeline, as the Collector documentation says', () => {
    for (const [name, pipeline] of pipelines) {
      const processors = pipeline.processors ?? [];
      expect(processors[0], name).toBe('memory_limiter');
      expect(processors[processors.length - 1], name).toBe('batch');
    }
  });

  it('uses each connector as an exporter in one pipeline and a receiver in another', () => {
    for (const connector of Object.keys(config.connectors ?? {})) {
      expect(
        pipelines.some(([, p]) => p.exporters.includes(connector)),
        connector,
      ).toBe(true);
      expect(
        pipelines.some(([, p]) => p.receivers.includes(connector)),
        connector,
      ).toBe(true);
    }
  });

  it('sends traces to Tempo, metrics to Prometheus and logs to Loki, the services of the compose file', () => {
    const compose = readYaml(join(deployDir, 'compose.yaml')) as { services: Record<string, unknown> };
    const endpoints = Object.values(config.exporters).map((e) =>
      String((e as { endpoint?: string }).endpoint ?? ''),
    );
    for (const service of ['tempo', 'prometheus', 'loki']) {
      expect(
        endpoints.some((endpoint) => endpoint.includes(`${service}:`)),
        service,
      ).toBe(true);
      expect(service in compose.services, service).toBe(true);
    }
  });
});

describe('the compose file', () => {
  const compose = readYaml(join(deployDir, 'compose.yaml')) as {
    services: Record<string, { volumes?: string[]; depends_on?: string[]; command?: string[] }>;
  };

  it('mounts files that exist (Grafana provisioning is built by dss-obs dashboards build)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('.')) continue; // a named volume
        if (source === './grafana') continue;
        expect(existsSync(resolve(deployDir, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('depends only on services it defines, and runs service scripts that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dependency of service.depends_on ?? [])
        expect(dependency in compose.services, `${name} → ${dependency}`).toBe(true);
      const script = (service.command ?? []).find((part) => part.endsWith('.ts'));
      if (script) expect(existsSync(join(repoRoot, script)), `${name}: ${script}`).toBe(true);
    }
    expect(existsSync(join(dirname(deployDir), 'bin/dss-obs.ts'))).toBe(true);
  });
});
