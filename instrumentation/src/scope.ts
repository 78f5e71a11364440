/** The instrumentation scope of everything this package records itself (helpers, self-observability). */
export const INSTRUMENTATION_SCOPE = '@dss/instrumentation';
