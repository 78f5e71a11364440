// The resource every signal of a DSS service carries. Precedence, lowest first: what we can infer
// (package.json), the resource detectors (which read OTEL_RESOURCE_ATTRIBUTES and
// OTEL_SERVICE_NAME), the DSS_* variables, and last what the code passes to startTelemetry().
import type { Attributes } from '@opentelemetry/api';
import { getResourceDetectors } from '@opentelemetry/auto-instrumentations-node';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { TelemetryOptions } from '../config/options.ts';
import { warnOnce } from '../config/warnings.ts';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_DSS_CLIENT,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '../conventions/attributes.ts';
import { findPackageJson, serviceDirectory } from './find-package-json.ts';

type Env = Record<string, string | undefined>;

function definedOnly(attributes: Record<string, string | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value) out[key] = value;
  return out;
}

export function buildResource(options: TelemetryOptions, env: Env = process.env): Resource {
  const pkg = findPackageJson(serviceDirectory());
  const inferred = resourceFromAttributes(
    definedOnly({
      [ATTR_SERVICE_NAME]: pkg?.name?.replace(/^@[^/]+\//, ''),
      [ATTR_SERVICE_VERSION]: pkg?.version,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: env.NODE_ENV?.trim() || 'development',
    }),
  );
  // Without OTEL_NODE_RESOURCE_DETECTORS we skip the cloud detectors: they make metadata HTTP
  // calls at start-up that only time out on the utilities' own servers.
  const detectors = env.OTEL_NODE_RESOURCE_DETECTORS?.trim()
    ? getResourceDetectors()
    : [envDetector, hostDetector, osDetector, processDetector];
  const detected = detectResources({ detectors });
  const fromDssEnv = resourceFromAttributes(
    definedOnly({
      [ATTR_DSS_CLIENT]: env.DSS_CLIENT?.trim(),
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: env.DSS_ENVIRONMENT?.trim(),
    }),
  );
  const fromCode = resourceFromAttributes({
    ...definedOnly({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
      [ATTR_DSS_CLIENT]: options.client,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment,
    }),
    ...options.resourceAttributes,
  });
  const resource = defaultResource().merge(inferred).merge(detected).merge(fromDssEnv).merge(fromCode);
  if (resource.attributes[ATTR_DSS_CLIENT] === undefined) {
    warnOnce(
      'no dss.client is set (startTelemetry({ client }), DSS_CLIENT, or OTEL_RESOURCE_ATTRIBUTES=dss.client=...): ' +
        "this service's telemetry belongs to no client.",
    );
  }
  return resource;
}
