// One client's network: its state, the control policy that runs the pumps, and the physics step.
import { type CsvReading, tagName, UNIT_OF_KIND } from '../scada-csv/format.ts';
import { demandFactor, tariffPeriod, tariffPrice } from './calendar.ts';
import type { ClientNetworkConfig, PumpConfig, PumpCurvePoint, TankConfig, TariffPeriod } from './config.ts';
import { type Fault, faultActive, faultTarget } from './faults.ts';
import { Random } from './random.ts';

export interface TankTruth {
  id: string;
  /** Level above the floor, m (the true one: the sensor may say otherwise). */
  levelM: number;
  /** What the level sensor reported at this time. */
  measuredLevelM: number;
  /** Demand asked of the tank, m³/h. */
  demandM3h: number;
  /** Metered outflow actually delivered (less than the demand when the tank ran dry), m³/h. */
  outflowM3h: number;
  /** Pumped inflow, m³/h. */
  inflowM3h: number;
  /** Unmetered loss (the leak fault), m³/h. */
  leakM3h: number;
  /** Water spilled over the top since the start, m³. */
  overflowM3: number;
}

export interface PumpTruth {
  id: string;
  tank: string;
  /** What the control policy asked for. */
  commanded: boolean;
  /** Whether it actually runs (not when the pump-fail fault holds it). */
  running: boolean;
  speedHz: number;
  flowM3h: number;
  powerKw: number;
  /** Energy drawn since the start, kWh. */
  energyKwh: number;
}

export interface ClientTruth {
  client: string;
  timeMs: number;
  tariff: TariffPeriod;
  priceEurPerKwh: number;
  tanks: TankTruth[];
  pumps: PumpTruth[];
  /** Energy and its cost since the start. */
  energyKwh: number;
  costEur: number;
}

// Where the policy starts and stops filling a tank, as fractions of its operating band [min, max]:
// fill to the top while electricity is cheap, only keep a safety margin while it is dear.
const START_AT: Readonly<Record<TariffPeriod, number>> = { 'off-peak': 0.75, mid: 0.35, peak: 0.12 };
const STOP_AT: Readonly<Record<TariffPeriod, number>> = { 'off-peak': 0.97, mid: 0.6, peak: 0.3 };
/** Below this fraction of the band, every available pump runs at full speed. */
const EMERGENCY = 0.1;
/** Below this fraction, a tank still falling while filling gets another pump, at full speed. */
const LOW = 0.25;

const LEVEL_NOISE_M = 0.004;
const FLOW_NOISE = 0.01;
const POWER_NOISE = 0.005;
const DEMAND_PERSISTENCE = 0.9;

interface TankState {
  config: TankConfig;
  pumps: PumpState[];
  levelM: number;
  noise: number;
  /** The policy's stage: how many pumps it wants on for this tank. */
  stage: number;
  /** Index of the pump that leads the next time filling starts (duty rotation). */
  lead: number;
  measuredM: number | undefined;
  previousMeasuredM: number | undefined;
  stuckAtM: number | undefined;
  overflowM3: number;
  last: Omit<TankTruth, 'id' | 'overflowM3'>;
}

interface PumpState {
  config: PumpConfig;
  commanded: boolean;
  running: boolean;
  speedIndex: number;
  /** The policy saw it commanded but not running: it is used only when nothing else is left. */
  suspect: boolean;
  energyKwh: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export class ClientNetwork {
  readonly config: ClientNetworkConfig;
  readonly #faults: Fault[];
  readonly #demandRandom: Random;
  readonly #sensorRandom: Random;
  readonly #tanks: TankState[];
  readonly #pumps: PumpState[];
  #energyKwh = 0;
  #costEur = 0;
  #truth: ClientTruth | undefined;
  /** Pumps commanded at the previous step. */
  #wasCommanded = new Set<PumpState>();

  constructor(config: ClientNetworkConfig, seed: string, faults: readonly Fault[]) {
    this.config = config;
    this.#faults = faults.filter((f) => f.client === config.client);
    this.#demandRandom = new Random(`${seed}/${config.client}/demand`);
    this.#sensorRandom = new Random(`${seed}/${config.client}/sensors`);
    this.#pumps = config.pumps.map((p) => ({
      config: p,
      commanded: false,
      running: false,
      speedIndex: 0,
      suspect: false,
      energyKwh: 0,
    }));
    this.#tanks = config.tanks.map((t) => ({
      config: t,
      pumps: this.#pumps.filter((p) => p.config.tank === t.id),
      levelM: t.initialLevelM,
      noise: 0,
      stage: 0,
      lead: -1,
      measuredM: undefined,
      previousMeasuredM: undefined,
      stuckAtM: undefined,
      overflowM3: 0,
      last: {
        levelM: t.initialLevelM,
        measuredLevelM: t.initialLevelM,
        demandM3h: 0,
        outflowM3h: 0,
        inflowM3h: 0,
        leakM3h: 0,
      },
    }));
  }

  #active(timeMs: number, kind: 'leak' | 'stuck-sensor' | 'pump-fail', target: string): Fault | undefined {
    return this.#faults.find((f) => f.kind === kind && faultTarget(f) === target && faultActive(f, timeMs));
  }

  /** The level sensor at `timeMs`: the true level plus noise, or a frozen value when stuck. */
  #measure(tank: TankState, timeMs: number): number {
    const noisy = Math.max(0, round(tank.levelM + this.#sensorRandom.gaussian() * LEVEL_NOISE_M, 3));
    if (this.#active(timeMs, 'stuck-sensor', tank.config.id)) {
      tank.stuckAtM ??= tank.measuredM ?? noisy;
      return tank.stuckAtM;
    }
    tank.stuckAtM = undefined;
    return noisy;
  }

  /** The control policy: hysteresis on the measured level, thresholds by tariff period. */
  #control(tank: TankState, period: TariffPeriod): void {
    const { minLevelM, maxLevelM } = tank.config;
    const level = tank.measuredM ?? tank.levelM;
    const fraction = (level - minLevelM) / (maxLevelM - minLevelM);
    const falling = tank.previousMeasuredM !== undefined && level < tank.previousMeasuredM - 0.005;
    const pumps = tank.pumps.length;
    if (pumps === 0) return;

    if (level >= maxLevelM) tank.stage = 0;
    else if (tank.stage === 0 && fraction <= START_AT[period]) {
      tank.stage = 1;
      tank.lead = (tank.lead + 1) % pumps;
    } else if (tank.stage > 0 && fraction >= STOP_AT[period]) tank.stage = 0;

    if (tank.stage > 0 && fraction < EMERGENCY) tank.stage = pumps;
    else if (tank.stage > 0 && tank.stage < pumps && fraction < LOW && falling) tank.stage += 1;
    else if (tank.stage > 1 && fraction > 0.5) tank.stage = 1;

    // Healthy pumps first, from the lead on; a pump seen failing to start only when nothing else is left.
    const order = tank.pumps.map((_, i) => tank.pumps[(tank.lead + i + pumps) % pumps] as PumpState);
    order.sort((a, b) => Number(a.suspect) - Number(b.suspect));
    const fullSpeed = fraction < LOW;
    order.forEach((pump, i) => {
      pump.commanded = i < tank.stage;
      const top = pump.config.curve.length - 1;
      pump.speedIndex = fullSpeed || period === 'off-peak' ? top : period === 'mid' ? Math.ceil(top / 2) : 0;
    });
  }

  /**
   * Samples the sensors at `timeMs`, runs the policy, then advances the physics by `dtSeconds`.
   * The readings describe the level at `timeMs` and the flows and pump states from then on.
   */
  step(timeMs: number, dtSeconds: number): { truth: ClientTruth; readings: CsvReading[] } {
    const hours = dtSeconds / 3600;
    const period = tariffPeriod(this.config.tariff, timeMs);
    const price = tariffPrice(this.config.tariff, timeMs);
    const readings: CsvReading[] = [];
    const site = this.config.client;
    const emit = (tag: string, value: number, unit: string) =>
      readings.push({ timestampMs: timeMs, site, tag, value, unit, quality: 'GOOD' });

    for (const tank of this.#tanks) {
      tank.previousMeasuredM = tank.measuredM;
      tank.measuredM = this.#measure(tank, timeMs);
      this.#control(tank, period);
    }
    for (const pump of this.#pumps) {
      const failing = this.#active(timeMs, 'pump-fail', pump.config.id) !== undefined;
      // The policy notices a pump it commanded that did not start, and prefers the others next time.
      if (pump.commanded && !pump.running && this.#wasCommanded.has(pump)) pump.suspect = true;
      if (pump.running) pump.suspect = false;
      pump.running = pump.commanded && !failing;
    }
    this.#wasCommanded = new Set(this.#pumps.filter((p) => p.commanded));

    const tankTruths: TankTruth[] = [];
    for (const tank of this.#tanks) {
      const t = tank.config;
      tank.noise =
        DEMAND_PERSISTENCE * tank.noise +
        (t.demandNoise ?? 0.08) * Math.sqrt(1 - DEMAND_PERSISTENCE ** 2) * this.#demandRandom.gaussian();
      const demand = Math.max(0, t.demandM3h * demandFactor(timeMs) * (1 + tank.noise));
      const leakFault = this.#active(timeMs, 'leak', t.id);
      const leak = leakFault?.kind === 'leak' ? (leakFault.rateM3h ?? 0.4 * t.demandM3h) : 0;
      let inflow = 0;
      for (const pump of tank.pumps) {
        if (pump.running) inflow += (pump.config.curve[pump.speedIndex] as PumpCurvePoint).flowM3h;
      }
      const levelBefore = tank.levelM;
      let volume = tank.levelM * t.areaM2 + inflow * hours;
      const wanted = (demand + leak) * hours;
      let outflow = demand;
      let leaked = leak;
      if (wanted > volume) {
        // Ran dry: what there was is shared between the demand and the leak.
        const share = wanted > 0 ? volume / wanted : 0;
        outflow = demand * share;
        leaked = leak * share;
        volume = 0;
      } else volume -= wanted;
      const capacity = t.heightM * t.areaM2;
      if (volume > capacity) {
        tank.overflowM3 += volume - capacity;
        volume = capacity;
      }
      tank.levelM = volume / t.areaM2;

      const measured = tank.measuredM as number;
      emit(tagName.level(t.id), measured, UNIT_OF_KIND.level);
      emit(
        tagName.flowIn(t.id),
        round(inflow * (1 + this.#sensorRandom.gaussian() * FLOW_NOISE), 1),
        UNIT_OF_KIND['flow-in'],
      );
      emit(
        tagName.flowOut(t.id),
        round(outflow * (1 + this.#sensorRandom.gaussian() * FLOW_NOISE), 1),
        UNIT_OF_KIND['flow-out'],
      );
      tank.last = {
        levelM: levelBefore,
        measuredLevelM: measured,
        demandM3h: demand,
        outflowM3h: outflow,
        inflowM3h: inflow,
        leakM3h: leaked,
      };
      tankTruths.push({ id: t.id, ...tank.last, overflowM3: tank.overflowM3 });
    }

    const pumpTruths: PumpTruth[] = [];
    for (const pump of this.#pumps) {
      const point = pump.config.curve[pump.speedIndex] as PumpCurvePoint;
      const speed = pump.running ? point.speedHz : 0;
      const power = pump.running ? point.powerKw : 0;
      const energy = power * hours;
      pump.energyKwh += energy;
      this.#energyKwh += energy;
      this.#costEur += energy * price;
      const id = pump.config.id;
      emit(tagName.run(id), pump.running ? 1 : 0, UNIT_OF_KIND.run);
      emit(tagName.speed(id), speed, UNIT_OF_KIND.speed);
      emit(
        tagName.power(id),
        round(power * (1 + this.#sensorRandom.gaussian() * POWER_NOISE), 1),
        UNIT_OF_KIND.power,
      );
      pumpTruths.push({
        id,
        tank: pump.config.tank,
        commanded: pump.commanded,
        running: pump.running,
        speedHz: speed,
        flowM3h: pump.running ? point.flowM3h : 0,
        powerKw: power,
        energyKwh: pump.energyKwh,
      });
    }

    this.#truth = {
      client: site,
      timeMs,
      tariff: period,
      priceEurPerKwh: price,
      tanks: tankTruths,
      pumps: pumpTruths,
      energyKwh: this.#energyKwh,
      costEur: this.#costEur,
    };
    return { truth: this.#truth, readings };
  }

  /** The truth as of the latest step (undefined before the first). */
  truth(): ClientTruth | undefined {
    return this.#truth;
  }
}
