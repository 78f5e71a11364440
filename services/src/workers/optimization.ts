// A 24-hour pump schedule (hourly: which pumps run, at what speed) that keeps every tank within its
// operating band on the demand forecast, at the lowest energy cost under the tariff.
//
// Method: a dynamic program per tank. Each pump fills one tank, so the tanks are independent given
// their demand and the tariff: the network's cheapest schedule is the cheapest schedule of each tank.
// For a tank, the state is its level at the start of an hour, discretised into 1 cm buckets of the band;
// the decisions are the tank's pump combinations (each pump off or at one point of its curve;
// combinations giving the same flow keep the cheapest). An hour moves the level by
// (flow − demand) · 1 h / area (flows and demand constant within the hour, so the level is linear in
// it and checking the hour's ends is enough); a move leaving [min, max] is forbidden. Each bucket keeps
// the cheapest path reaching it (and its exact, not rounded, level, so every kept path is exactly
// feasible). At the end, the cheapest path whose final level is at least the target is traced back.
// 24 hours × ~400 buckets × ≤16 actions: under a millisecond per tank.
//
// The target: the final level of the simple on/off policy (the baseline), so both leave the same water
// in store for the next day and their costs compare like for like. Bucketing may drop the path the
// baseline takes, so the DP could in principle come out dearer: the optimizer then returns the
// baseline itself (method `baseline`), never anything worse. A tank starting outside its band may
// stay where it is until the pumps bring it back (the band is widened to the initial level).
import { tariffPrice } from '../simulator/calendar.ts';
import type { ClientNetworkConfig, PumpConfig, TankConfig, TariffConfig } from '../simulator/config.ts';

export const HOUR_MS = 3_600_000;
const EPS = 1e-9;

export interface PumpAction {
  /** Speed of each of the tank's pumps, Hz; 0 = off. */
  speeds: Record<string, number>;
  flowM3h: number;
  powerKw: number;
}

/** Every combination of the pumps (off or one curve point each); of those with the same flow, the cheapest. */
export function pumpActions(pumps: readonly PumpConfig[]): PumpAction[] {
  let actions: PumpAction[] = [{ speeds: {}, flowM3h: 0, powerKw: 0 }];
  for (const pump of pumps) {
    const next: PumpAction[] = [];
    for (const a of actions) {
      next.push({ speeds: { ...a.speeds, [pump.id]: 0 }, flowM3h: a.flowM3h, powerKw: a.powerKw });
      for (const point of pump.curve) {
        next.push({
          speeds: { ...a.speeds, [pump.id]: point.speedHz },
          flowM3h: a.flowM3h + point.flowM3h,
          powerKw: a.powerKw + point.powerKw,
        });
      }
    }
    actions = next;
  }
  actions.sort((a, b) => a.flowM3h - b.flowM3h || a.powerKw - b.powerKw);
  const kept: PumpAction[] = [];
  for (const a of actions) {
    const last = kept[kept.length - 1];
    // Same flow as the one kept, and dearer. (Smaller flows are all kept, even when dearer per m³:
    // one may be needed to stay under max.)
    if (last && Math.abs(last.flowM3h - a.flowM3h) < EPS) continue;
    kept.push(a);
  }
  return kept;
}

export interface TankProblem {
  tank: TankConfig;
  pumps: readonly PumpConfig[];
  initialLevelM: number;
  /** Demand forecast, m³/h, one per hour. */
  demand: readonly number[];
  /** €/kWh, one per hour. */
  prices: readonly number[];
}

export interface TankPlan {
  tank: string;
  /** The action of each hour. */
  actions: PumpAction[];
  /** Level at the start of each hour and at the end (hours + 1 values). */
  levels: number[];
  costEur: number;
  feasible: boolean;
}

function bounds(p: TankProblem): { lo: number; hi: number } {
  return {
    lo: Math.min(p.tank.minLevelM, p.initialLevelM),
    hi: Math.max(p.tank.maxLevelM, p.initialLevelM),
  };
}

/** Levels and cost of a given sequence of actions; feasible when every level stays within the band. */
export function evaluateTank(p: TankProblem, actions: readonly PumpAction[]): TankPlan {
  const { lo, hi } = bounds(p);
  const levels = [p.initialLevelM];
  let level = p.initialLevelM;
  let cost = 0;
  let feasible = true;
  actions.forEach((a, h) => {
    level += (a.flowM3h - (p.demand[h] ?? 0)) / p.tank.areaM2;
    cost += a.powerKw * (p.prices[h] ?? 0);
    if (level < lo - 1e-6 || level > hi + 1e-6) feasible = false;
    levels.push(level);
  });
  return { tank: p.tank.id, actions: [...actions], levels, costEur: cost, feasible };
}

/**
 * The simple on/off policy the DSS is compared with: a hysteresis on the level, blind to the tariff.
 * Start the pumps (at full speed, as many as needed to stay above min) when the level is in the lowest
 * 30 % of the band; stop when it would pass max, or once it is in the top 10 %.
 */
export function baselineTank(p: TankProblem): TankPlan {
  const { minLevelM: min, maxLevelM: max, areaM2 } = p.tank;
  const band = max - min;
  const full = p.pumps.map((pump) => pump.curve[pump.curve.length - 1]);
  const allOff: Record<string, number> = Object.fromEntries(p.pumps.map((pump) => [pump.id, 0]));
  const actions: PumpAction[] = [];
  let level = p.initialLevelM;
  let on = false;
  for (let h = 0; h < p.demand.length; h++) {
    const demand = p.demand[h] ?? 0;
    if (on && level >= max - 0.1 * band) on = false;
    else if (!on && level <= min + 0.3 * band) on = true;
    const off = level - demand / areaM2;
    if (!on && off < min) on = true;
    let action: PumpAction = { speeds: { ...allOff }, flowM3h: 0, powerKw: 0 };
    if (on) {
      for (let n = 1; n <= p.pumps.length; n++) {
        const speeds = { ...allOff };
        let flow = 0;
        let power = 0;
        for (let i = 0; i < n; i++) {
          const pump = p.pumps[i] as PumpConfig;
          const point = full[i];
          if (!point) continue;
          speeds[pump.id] = point.speedHz;
          flow += point.flowM3h;
          power += point.powerKw;
        }
        action = { speeds, flowM3h: flow, powerKw: power };
        if (level + (flow - demand) / areaM2 >= min) break;
      }
      if (level + (action.flowM3h - demand) / areaM2 > max) {
        // Full speed would overflow: off if that is safe, else the smallest action that fits.
        const fits = pumpActions(p.pumps).find((a) => {
          const next = level + (a.flowM3h - demand) / areaM2;
          return next >= min && next <= max;
        });
        action = fits ?? { speeds: { ...allOff }, flowM3h: 0, powerKw: 0 };
        on = action.flowM3h > 0;
      }
    }
    actions.push(action);
    level += (action.flowM3h - demand) / areaM2;
  }
  return evaluateTank(p, actions);
}

interface Cell {
  cost: number;
  level: number;
  from: number;
  action: number;
}

/** The cheapest feasible plan ending at or above `targetFinalM` (see the header), or undefined. */
export function optimizeTank(p: TankProblem, targetFinalM: number, resolutionM = 0.01): TankPlan | undefined {
  const actions = pumpActions(p.pumps);
  const { lo, hi } = bounds(p);
  const buckets = Math.max(1, Math.ceil((hi - lo) / resolutionM)) + 1;
  const bucketOf = (level: number) =>
    Math.min(buckets - 1, Math.max(0, Math.round((level - lo) / resolutionM)));
  const layers: Array<Array<Cell | undefined>> = [];
  let current: Array<Cell | undefined> = new Array(buckets);
  current[bucketOf(p.initialLevelM)] = { cost: 0, level: p.initialLevelM, from: -1, action: -1 };
  layers.push(current);
  for (let h = 0; h < p.demand.length; h++) {
    const demand = p.demand[h] ?? 0;
    const price = p.prices[h] ?? 0;
    const next: Array<Cell | undefined> = new Array(buckets);
    current.forEach((cell, b) => {
      if (!cell) return;
      actions.forEach((a, ai) => {
        const level = cell.level + (a.flowM3h - demand) / p.tank.areaM2;
        if (level < lo - EPS || level > hi + EPS) return;
        const cost = cell.cost + a.powerKw * price;
        const nb = bucketOf(level);
        const there = next[nb];
        if (
          !there ||
          cost < there.cost - EPS ||
          (Math.abs(cost - there.cost) <= EPS && level > there.level)
        ) {
          next[nb] = { cost, level, from: b, action: ai };
        }
      });
    });
    layers.push(next);
    current = next;
  }
  let best: number | undefined;
  current.forEach((cell, b) => {
    if (!cell || cell.level < targetFinalM - 1e-6) return;
    if (best === undefined || cell.cost < (current[best] as Cell).cost) best = b;
  });
  if (best === undefined) return undefined;
  const chosen: PumpAction[] = [];
  let b = best;
  for (let h = p.demand.length; h > 0; h--) {
    const cell = (layers[h] as Array<Cell | undefined>)[b] as Cell;
    chosen.unshift(actions[cell.action] as PumpAction);
    b = cell.from;
  }
  return evaluateTank(p, chosen);
}

export interface HourPlan {
  start: string;
  priceEurPerKwh: number;
  /** Speed of every pump of the client, Hz; 0 = off. */
  pumps: Record<string, number>;
  costEur: number;
}

export interface NetworkPlan {
  method: 'dynamic-programming' | 'baseline' | 'mixed';
  hours: HourPlan[];
  /** Level of each tank at the start of each hour and at the end. */
  levels: Record<string, number[]>;
  costEur: number;
  feasible: boolean;
  baseline: { hours: HourPlan[]; levels: Record<string, number[]>; costEur: number; feasible: boolean };
}

function combine(
  plans: readonly TankPlan[],
  startMs: number,
  prices: readonly number[],
): { hours: HourPlan[]; levels: Record<string, number[]>; costEur: number } {
  const hours: HourPlan[] = prices.map((price, h) => {
    const pumps: Record<string, number> = {};
    let kw = 0;
    for (const plan of plans) {
      const a = plan.actions[h];
      if (!a) continue;
      Object.assign(pumps, a.speeds);
      kw += a.powerKw;
    }
    return {
      start: new Date(startMs + h * HOUR_MS).toISOString(),
      priceEurPerKwh: price,
      pumps,
      costEur: kw * price,
    };
  });
  return {
    hours,
    levels: Object.fromEntries(plans.map((p) => [p.tank, p.levels])),
    costEur: plans.reduce((sum, p) => sum + p.costEur, 0),
  };
}

/** Hourly prices from `startMs` under the tariff (the price at the middle of each hour). */
export function hourlyPrices(tariff: TariffConfig, startMs: number, hours: number): number[] {
  return Array.from({ length: hours }, (_, h) => tariffPrice(tariff, startMs + h * HOUR_MS + HOUR_MS / 2));
}

/** The schedule of a client's network over the forecast horizon, and the baseline's for comparison. */
export function optimizeNetwork(
  network: ClientNetworkConfig,
  initialLevels: Readonly<Record<string, number>>,
  demand: Readonly<Record<string, readonly number[]>>,
  startMs: number,
  hours = 24,
): NetworkPlan {
  const prices = hourlyPrices(network.tariff, startMs, hours);
  const optimal: TankPlan[] = [];
  const baseline: TankPlan[] = [];
  const methods = new Set<'dynamic-programming' | 'baseline'>();
  for (const tank of network.tanks) {
    const problem: TankProblem = {
      tank,
      pumps: network.pumps.filter((p) => p.tank === tank.id),
      initialLevelM: initialLevels[tank.id] ?? tank.initialLevelM,
      // Hours the forecast does not cover: the tank's mean demand.
      demand: Array.from({ length: hours }, (_, h) => demand[tank.id]?.[h] ?? tank.demandM3h),
      prices,
    };
    const base = baselineTank(problem);
    // Leave at least as much water as the baseline does (see the header).
    const dp = optimizeTank(problem, base.levels[hours] ?? problem.initialLevelM);
    baseline.push(base);
    if (dp?.feasible && (dp.costEur <= base.costEur + 1e-9 || !base.feasible)) {
      optimal.push(dp);
      methods.add('dynamic-programming');
    } else {
      optimal.push(base);
      methods.add('baseline');
    }
  }
  const plan = combine(optimal, startMs, prices);
  const base = combine(baseline, startMs, prices);
  return {
    method: methods.size > 1 ? 'mixed' : (methods.values().next().value ?? 'baseline'),
    ...plan,
    feasible: optimal.every((p) => p.feasible),
    baseline: { ...base, feasible: baseline.every((p) => p.feasible) },
  };
}
