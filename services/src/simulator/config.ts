// The water network of each client: tanks, the pumps that fill them, demand and electricity tariff.
// Plain typed objects, so a test or a deployment can describe another network in a few lines.
import { ASSET_ID, SITE_ID } from '../scada-csv/format.ts';

export interface PumpCurvePoint {
  /** Drive frequency, Hz. A fixed-speed pump has one point. */
  speedHz: number;
  /** Flow delivered into the tank at that speed, m³/h. */
  flowM3h: number;
  /** Electrical power drawn at that speed, kW. */
  powerKw: number;
}

export interface PumpConfig {
  id: string;
  /** The tank this pump fills. */
  tank: string;
  /** The speeds the pump can run at, with flow and power at each (ascending speed). */
  curve: readonly PumpCurvePoint[];
}

export interface TankConfig {
  id: string;
  /** Floor area, m² (a vertical-walled tank: volume = area × level). */
  areaM2: number;
  /** Physical height: the level cannot go above it (the tank overflows). */
  heightM: number;
  /** Operating band: below min the supply is at risk, above max the tank is full. */
  minLevelM: number;
  maxLevelM: number;
  initialLevelM: number;
  /** Mean water demand drawn from this tank, m³/h (the daily pattern multiplies it). */
  demandM3h: number;
  /** Relative standard deviation of the demand noise. Default 0.08. */
  demandNoise?: number;
}

export type TariffPeriod = 'off-peak' | 'mid' | 'peak';

export interface TariffConfig {
  /** €/kWh per period. */
  prices: Readonly<Record<TariffPeriod, number>>;
  /** The period of each hour of a weekday, 0 to 23 (24 entries). */
  weekdayHours: readonly TariffPeriod[];
  /** Saturdays and Sundays are one period all day. */
  weekendPeriod: TariffPeriod;
}

export interface ClientNetworkConfig {
  /** The client (water utility): `site` in the CSV files, `dss.client` in telemetry. */
  client: string;
  tanks: readonly TankConfig[];
  pumps: readonly PumpConfig[];
  tariff: TariffConfig;
}

// Weekday: off-peak at night, peak 09-12 and 18-21, mid otherwise (a typical Iberian three-period tariff).
const WEEKDAY_HOURS: readonly TariffPeriod[] = [
  ...Array<TariffPeriod>(8).fill('off-peak'), // 00-07
  'mid', // 08
  ...Array<TariffPeriod>(3).fill('peak'), // 09-11
  ...Array<TariffPeriod>(6).fill('mid'), // 12-17
  ...Array<TariffPeriod>(3).fill('peak'), // 18-20
  'mid', // 21
  ...Array<TariffPeriod>(2).fill('off-peak'), // 22-23
];

export const DEFAULT_TARIFF: TariffConfig = {
  prices: { 'off-peak': 0.09, mid: 0.15, peak: 0.24 },
  weekdayHours: WEEKDAY_HOURS,
  weekendPeriod: 'off-peak',
};

/** Two clients: `north` (3 tanks, 4 pumps) and `south` (2 tanks, 3 pumps). */
export const DEFAULT_NETWORK: readonly ClientNetworkConfig[] = [
  {
    client: 'north',
    tanks: [
      { id: 'T1', areaM2: 400, heightM: 6, minLevelM: 1, maxLevelM: 5, initialLevelM: 3.2, demandM3h: 120 },
      {
        id: 'T2',
        areaM2: 250,
        heightM: 5,
        minLevelM: 0.8,
        maxLevelM: 4.2,
        initialLevelM: 2.5,
        demandM3h: 70,
      },
      {
        id: 'T3',
        areaM2: 150,
        heightM: 4.5,
        minLevelM: 0.5,
        maxLevelM: 3.8,
        initialLevelM: 2,
        demandM3h: 45,
      },
    ],
    pumps: [
      {
        id: 'P1',
        tank: 'T1',
        curve: [
          { speedHz: 35, flowM3h: 90, powerKw: 18 },
          { speedHz: 42, flowM3h: 115, powerKw: 28 },
          { speedHz: 50, flowM3h: 140, powerKw: 42 },
        ],
      },
      {
        id: 'P2',
        tank: 'T1',
        curve: [
          { speedHz: 35, flowM3h: 90, powerKw: 18 },
          { speedHz: 42, flowM3h: 115, powerKw: 28 },
          { speedHz: 50, flowM3h: 140, powerKw: 42 },
        ],
      },
      { id: 'P3', tank: 'T2', curve: [{ speedHz: 50, flowM3h: 160, powerKw: 35 }] },
      {
        id: 'P4',
        tank: 'T3',
        curve: [
          { speedHz: 40, flowM3h: 70, powerKw: 11 },
          { speedHz: 50, flowM3h: 95, powerKw: 19 },
        ],
      },
    ],
    tariff: DEFAULT_TARIFF,
  },
  {
    client: 'south',
    tanks: [
      {
        id: 'T1',
        areaM2: 300,
        heightM: 5.5,
        minLevelM: 1,
        maxLevelM: 4.5,
        initialLevelM: 2.8,
        demandM3h: 90,
      },
      { id: 'T2', areaM2: 200, heightM: 5, minLevelM: 0.8, maxLevelM: 4, initialLevelM: 2.2, demandM3h: 50 },
    ],
    pumps: [
      {
        id: 'P1',
        tank: 'T1',
        curve: [
          { speedHz: 35, flowM3h: 80, powerKw: 15 },
          { speedHz: 50, flowM3h: 120, powerKw: 32 },
        ],
      },
      { id: 'P2', tank: 'T1', curve: [{ speedHz: 50, flowM3h: 110, powerKw: 30 }] },
      {
        id: 'P3',
        tank: 'T2',
        curve: [
          { speedHz: 38, flowM3h: 60, powerKw: 10 },
          { speedHz: 50, flowM3h: 85, powerKw: 17 },
        ],
      },
    ],
    tariff: DEFAULT_TARIFF,
  },
];

/** Throws on a network the simulator cannot run (unknown tank, empty curve, bad band, bad ids). */
export function validateNetwork(network: readonly ClientNetworkConfig[]): void {
  const clients = new Set<string>();
  for (const c of network) {
    if (!SITE_ID.test(c.client)) throw new Error(`bad client id ${JSON.stringify(c.client)}`);
    if (clients.has(c.client)) throw new Error(`client ${c.client} defined twice`);
    clients.add(c.client);
    const ids = new Set<string>();
    const id = (x: string) => {
      if (!ASSET_ID.test(x)) throw new Error(`${c.client}: bad id ${JSON.stringify(x)}`);
      if (ids.has(x)) throw new Error(`${c.client}: id ${x} used twice`);
      ids.add(x);
    };
    for (const t of c.tanks) {
      id(t.id);
      if (!(t.areaM2 > 0 && t.heightM > 0))
        throw new Error(`${c.client}/${t.id}: area and height must be > 0`);
      if (!(t.minLevelM >= 0 && t.minLevelM < t.maxLevelM && t.maxLevelM <= t.heightM))
        throw new Error(`${c.client}/${t.id}: need 0 <= min < max <= height`);
      if (!(t.initialLevelM >= 0 && t.initialLevelM <= t.heightM))
        throw new Error(`${c.client}/${t.id}: initial level outside the tank`);
    }
    for (const p of c.pumps) {
      id(p.id);
      if (!c.tanks.some((t) => t.id === p.tank))
        throw new Error(`${c.client}/${p.id}: unknown tank ${p.tank}`);
      if (p.curve.length === 0) throw new Error(`${c.client}/${p.id}: empty pump curve`);
      for (let i = 1; i < p.curve.length; i++) {
        if (!((p.curve[i]?.speedHz ?? 0) > (p.curve[i - 1]?.speedHz ?? 0)))
          throw new Error(`${c.client}/${p.id}: curve speeds must ascend`);
      }
    }
    const periods = c.tariff.weekdayHours;
    if (periods.length !== 24) throw new Error(`${c.client}: the tariff needs 24 weekday hours`);
  }
}
