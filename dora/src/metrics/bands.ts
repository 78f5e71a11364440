// DORA performance bands as data. The 2025 DORA report ("State of AI-assisted Software Development") replaced
// the elite/high/medium/low clusters with seven team archetypes, so the most recent report with bands is the
// 2024 Accelerate State of DevOps report. See /work/shared/research/dora-anchors.md §5 and dora/README.md.
// Each metric's bands are tried in order; the first whose test holds wins. `atLeast`/`below` are in the unit.
// CFR: the 2024 clusters are not monotone (medium 10 % < high 20 %), so the change failure rate is placed in
// the cluster whose reported value is nearest (`nearest`).

export type Band = 'elite' | 'high' | 'medium' | 'low';

export interface BandRule {
  band: Band;
  /** The report's wording. */
  label: string;
  atLeast?: number;
  below?: number;
  nearest?: number;
}

export interface BandTable {
  report: string;
  year: number;
  source: string;
  /** Values the research marked for checking against the report PDF. */
  unverified: string[];
  deploymentFrequency: { unit: 'deployments per week'; rules: BandRule[] };
  leadTime: { unit: 'hours'; rules: BandRule[] };
  changeFailureRate: { unit: 'ratio'; rules: BandRule[] };
  recoveryTime: { unit: 'hours'; rules: BandRule[] };
}

export const DORA_2024: BandTable = {
  report: 'Accelerate State of DevOps Report 2024 (DORA, Google Cloud)',
  year: 2024,
  source:
    'https://dora.dev/research/2024/dora-report/ — cluster values as collected in research/dora-anchors.md §5 (DevLake dora_benchmarks for 2021/2023, benchmarks.json for 2024)',
  unverified: ['changeFailureRate medium/low', 'recoveryTime'],
  deploymentFrequency: {
    unit: 'deployments per week',
    rules: [
      { band: 'elite', label: 'on demand (multiple deploys per day)', atLeast: 7 },
      { band: 'high', label: 'between once per day and once per week', atLeast: 1 },
      { band: 'medium', label: 'between once per week and once per month', atLeast: 7 / 30.4375 },
      { band: 'low', label: 'between once per month and once every six months', atLeast: 0 },
    ],
  },
  leadTime: {
    unit: 'hours',
    rules: [
      { band: 'elite', label: 'less than one day', below: 24 },
      { band: 'high', label: 'between one day and one week', below: 168 },
      { band: 'medium', label: 'between one week and one month', below: 730.5 },
      { band: 'low', label: 'between one month and six months', atLeast: 0 },
    ],
  },
  changeFailureRate: {
    unit: 'ratio',
    rules: [
      { band: 'elite', label: '5 %', nearest: 0.05 },
      { band: 'medium', label: '10 %', nearest: 0.1 },
      { band: 'high', label: '20 %', nearest: 0.2 },
      { band: 'low', label: '40 %', nearest: 0.4 },
    ],
  },
  recoveryTime: {
    unit: 'hours',
    rules: [
      { band: 'elite', label: 'less than one hour', below: 1 },
      { band: 'high', label: 'less than one day', below: 24 },
      { band: 'medium', label: 'less than one day (2024); up to one week read as medium', below: 168 },
      { band: 'low', label: 'between one week and one month', atLeast: 0 },
    ],
  },
};

export function bandOf(rules: BandRule[], value: number | null): BandRule | null {
  if (value === null || Number.isNaN(value)) return null;
  if (rules.some((r) => r.nearest !== undefined)) {
    let best: BandRule | null = null;
    for (const r of rules)
      if (
        best === null ||
        Math.abs((r.nearest as number) - value) < Math.abs((best.nearest as number) - value)
      )
        best = r;
    return best;
  }
  for (const r of rules) {
    if (r.atLeast !== undefined && value >= r.atLeast) return r;
    if (r.below !== undefined && value < r.below) return r;
  }
  return null;
}
