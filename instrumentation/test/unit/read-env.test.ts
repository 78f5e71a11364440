import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invalidEndpointFor, readExporters, readProtocol, readSampler } from '../../src/config/read-env.ts';
import { exporterUrl } from '../../src/pipeline/otlp-exporters.ts';

describe('reading the OTEL_* environment', () => {
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('falls back to parentbased_always_on for an unknown sampler, with one clear warning', () => {
    expect(readSampler({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual({
      name: 'parentbased_always_on',
      ratio: 1,
    });
    expect(readSampler({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual({
      name: 'parentbased_always_on',
      ratio: 1,
    });
    const warnings = stderr.filter((line) => line.includes('OTEL_TRACES_SAMPLER="sometimes"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('using parentbased_always_on');
  });

  it('reads ratio samplers and rejects an out-of-range ratio', () => {
    expect(
      readSampler({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
    ).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0.1,
    });
    expect(readSampler({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }).ratio).toBe(1);
    expect(stderr.join('')).toContain('OTEL_TRACES_SAMPLER_ARG="7" is not a ratio between 0 and 1');
  });

  it('detects a malformed endpoint and substitutes the default for the protocol', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317 oops' };
    expect(invalidEndpointFor(env, 'traces')).toBe('OTEL_EXPORTER_OTLP_ENDPOINT="collector:4317 oops"');
    expect(exporterUrl('traces', 'grpc', undefined, env)).toBe('http://localhost:4317');
    expect(exporterUrl('logs', 'http/protobuf', undefined, env)).toBe('http://localhost:4318/v1/logs');
    expect(stderr.join('')).toContain('is not an http(s) URL with a host');
    // A valid endpoint is left to the exporter, which reads the environment itself.
    expect(
      exporterUrl('traces', 'grpc', undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' }),
    ).toBeUndefined();
    expect(exporterUrl('metrics', 'http/json', 'http://c:4318/', {})).toBe('http://c:4318/v1/metrics');
  });

  it('uses grpc unless told otherwise, and warns on an unknown protocol', () => {
    expect(readProtocol({}, 'traces')).toBe('grpc');
    expect(readProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, 'traces')).toBe('http/protobuf');
    expect(
      readProtocol(
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' },
        'logs',
      ),
    ).toBe('http/json');
    expect(readProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }, 'metrics')).toBe('grpc');
    expect(stderr.join('')).toContain('OTEL_EXPORTER_OTLP_PROTOCOL="carrier-pigeon"');
  });

  it('reads exporter lists per signal', () => {
    expect(readExporters({}, 'traces')).toEqual(['otlp']);
    expect(readExporters({ OTEL_METRICS_EXPORTER: 'otlp,prometheus' }, 'metrics')).toEqual([
      'otlp',
      'prometheus',
    ]);
    expect(readExporters({ OTEL_LOGS_EXPORTER: 'none' }, 'logs')).toEqual([]);
    expect(readExporters({ OTEL_TRACES_EXPORTER: 'zipkin' }, 'traces')).toEqual(['otlp']);
    expect(stderr.join('')).toContain('"zipkin" is not one of otlp, console, none');
  });
});
