// Alarm-management settings (ISA-18.2 / EEMUA 191 terms), from dss-alerts.yml's `alarm_management`.
//   flood:      more than `alerts` new alerts annunciated on one channel (receiver) within `window` → the
//               channel gets one summary instead of each notification, until at most `endBelow` new alerts
//               arrived within `window` (hysteresis). ISA-18.2: > 10 alarms per 10 min per operator.
//   chattering: an alert that became active `cycles` times within `window` is shelved for `shelveFor`
//               (held back and reported once). ISA-18.2 says 3 cycles in 60 s for sampled process alarms;
//               rules evaluated every minute can change state at most once a minute, so the default window
//               here is 10 min.

export interface FloodSettings {
  alerts: number;
  windowMs: number;
  endBelow: number;
  /** While flooded, at most one summary update per this interval. */
  summaryIntervalMs: number;
}

export interface ChatterSettings {
  cycles: number;
  windowMs: number;
  shelveForMs: number;
}

export interface AlarmManagementSettings {
  flood: FloodSettings | undefined;
  chattering: ChatterSettings | undefined;
}

export const DEFAULT_ALARM_MANAGEMENT: AlarmManagementSettings = {
  flood: { alerts: 10, windowMs: 10 * 60_000, endBelow: 5, summaryIntervalMs: 5 * 60_000 },
  chattering: { cycles: 3, windowMs: 10 * 60_000, shelveForMs: 60 * 60_000 },
};
