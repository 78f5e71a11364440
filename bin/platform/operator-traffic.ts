// Stands in for the operators' screens of the DSS: every few seconds, per client, the calls a dashboard of
// the DSS makes to the backend API (tanks, a tank's readings, the latest forecast and pump schedule, job
// runs), so that `dss-obs up` shows request rates, durations and traces without anyone clicking.
// Answers are read and dropped; a failed call is left to the API's own telemetry to show.

export interface OperatorTrafficOptions {
  /** Per client: its API base URL and bearer token. */
  apis: Record<string, { url: string; token: string }>;
  /** Default 5 s. */
  intervalMs?: number;
}

export function startOperatorTraffic(options: OperatorTrafficOptions): { stop(): void } {
  let round = 0;
  const tick = async () => {
    round++;
    await Promise.all(
      Object.entries(options.apis).map(async ([client, { url, token }]) => {
        const get = async (path: string) => {
          try {
            const response = await fetch(`${url}${path}`, {
              headers: { authorization: `Bearer ${token}` },
              signal: AbortSignal.timeout(5000),
            });
            return response.ok ? ((await response.json()) as unknown) : undefined;
          } catch {
            return undefined; // the API is starting or restarting
          }
        };
        const tanks = (await get(`/clients/${client}/tanks`)) as { tanks?: { id: string }[] } | undefined;
        const tank = tanks?.tanks?.[round % Math.max(1, tanks.tanks.length)]?.id;
        if (tank) await get(`/clients/${client}/tanks/${tank}/readings?limit=100`);
        await get(`/clients/${client}/forecasts/latest`);
        await get(`/clients/${client}/schedules/latest`);
        if (round % 3 === 0) await get(`/clients/${client}/jobs?limit=20`);
        // Now and then a request for a tank that does not exist: the 404s an operator's typo makes.
        if (round % 10 === 0) await get(`/clients/${client}/tanks/NOPE/readings`);
      }),
    );
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5000);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
