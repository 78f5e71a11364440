import { describe, expect, it, vi } from 'vitest';
import { trackJob } from '../../src/helpers/job.ts';
import { Outstanding } from '../../src/self-observability/bounded-queue-processors.ts';
import { DropAccounting } from '../../src/self-observability/drop-accounting.ts';

describe('trackJob', () => {
  it('returns the job result and rethrows the very error the job threw', async () => {
    await expect(trackJob('forecast', async () => 42)).resolves.toBe(42);
    const failure = new RangeError('tariff table empty');
    await expect(
      trackJob('optimization', () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const notAnError = { reason: 'weird' };
    await expect(trackJob('kpi', () => Promise.reject(notAnError))).rejects.toBe(notAnError);
  });
});

describe('drop accounting', () => {
  it('counts per signal and reports only what is new, once', () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const accounting = new DropAccounting(0);
      accounting.recordDelivered('traces', 10);
      accounting.recordDropped('traces', 3, new Error('14 UNAVAILABLE: No connection established'));
      accounting.recordDropped('logs', 2);
      accounting.report();
      accounting.report();
      expect(accounting.stats()).toEqual({
        delivered: { traces: 10, metrics: 0, logs: 0 },
        dropped: { traces: 3, metrics: 0, logs: 2 },
        lastError: '14 UNAVAILABLE: No connection established',
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('3 spans, 0 metric points, 2 log records');
    } finally {
      write.mockRestore();
    }
  });

  it('bounds what waits for export, and frees room as exports settle', () => {
    const accounting = new DropAccounting(0);
    const outstanding = new Outstanding(accounting, 'logs', 3);
    expect([outstanding.admit(), outstanding.admit(), outstanding.admit(), outstanding.admit()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(accounting.dropped.logs).toBe(1);
    outstanding.settle(2);
    expect([outstanding.admit(), outstanding.admit(), outstanding.admit()]).toEqual([true, true, false]);
    expect(accounting.dropped.logs).toBe(2);
  });
});
