import { ATTR_DSS_TANK_ID } from '../conventions/attributes.ts';
import {
  METRIC_TANK_FILL_RATIO,
  METRIC_TANK_LEVEL,
  METRIC_TANK_MAX_LEVEL,
  METRIC_TANK_MIN_LEVEL,
} from '../conventions/metrics.ts';
import { gauge } from './instruments.ts';

export interface TankReading {
  tankId: string;
  /** Level above the tank floor, in metres. */
  levelMeters: number;
  /** Height at which the tank is full, in metres; when given, the fill ratio is recorded too. */
  capacityMeters?: number;
}

/** Records a tank level (gauge `dss.tank.level`, and `dss.tank.fill_ratio` when the capacity is known). */
export function recordTankLevel({ tankId, levelMeters, capacityMeters }: TankReading): void {
  if (!Number.isFinite(levelMeters)) return;
  const attributes = { [ATTR_DSS_TANK_ID]: tankId };
  gauge(METRIC_TANK_LEVEL).record(levelMeters, attributes);
  if (capacityMeters !== undefined && Number.isFinite(capacityMeters) && capacityMeters > 0) {
    gauge(METRIC_TANK_FILL_RATIO).record(levelMeters / capacityMeters, attributes);
  }
}

export interface TankLevelLimits {
  tankId: string;
  /** Bottom of the operating band, metres. */
  minMeters: number;
  /** Top of the operating band, metres. */
  maxMeters: number;
}

/**
 * Records a tank's operating band (`dss.tank.min_level`, `dss.tank.max_level`), from the network
 * configuration. Record it periodically (alert rules compare levels with it, and a gauge not
 * recorded again is still exported, but a restarted process must record it anew).
 */
export function recordTankLevelLimits({ tankId, minMeters, maxMeters }: TankLevelLimits): void {
  const attributes = { [ATTR_DSS_TANK_ID]: tankId };
  if (Number.isFinite(minMeters)) gauge(METRIC_TANK_MIN_LEVEL).record(minMeters, attributes);
  if (Number.isFinite(maxMeters)) gauge(METRIC_TANK_MAX_LEVEL).record(maxMeters, attributes);
}
