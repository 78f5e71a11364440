import { ATTR_DSS_PUMP_ID } from '../conventions/attributes.ts';
import { METRIC_PUMP_POWER, METRIC_PUMP_SPEED, METRIC_PUMP_STATE } from '../conventions/metrics.ts';
import { gauge } from './instruments.ts';

export interface PumpReading {
  pumpId: string;
  on: boolean;
  /** Drive frequency of a variable-speed pump, in hertz. */
  speedHz?: number;
  /** Electrical power drawn, in kilowatts (recorded in watts, the SI unit). */
  powerKw?: number;
}

/** Records a pump's state (`dss.pump.state` 1/0), and its speed and power when known. */
export function recordPumpState({ pumpId, on, speedHz, powerKw }: PumpReading): void {
  const attributes = { [ATTR_DSS_PUMP_ID]: pumpId };
  gauge(METRIC_PUMP_STATE).record(on ? 1 : 0, attributes);
  if (speedHz !== undefined && Number.isFinite(speedHz)) gauge(METRIC_PUMP_SPEED).record(speedHz, attributes);
  if (powerKw !== undefined && Number.isFinite(powerKw))
    gauge(METRIC_PUMP_POWER).record(powerKw * 1000, attributes);
}
