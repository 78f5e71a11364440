// What a resource and a scope contribute to the labels of their series: the tenant, `job` and `instance`
// from the service attributes, the promoted resource attributes, the `otel_scope_*` labels, and the labels
// of the resource's `target_info` series (OTel specification, "Resource Attributes" and "Instrumentation
// Scope"; Prometheus's OTLP receiver, createAttributes and addResourceTargetInfo).
import { anyValueToString, findAttribute } from '../../receiver/attributes.ts';
import type { InstrumentationScope, Resource } from '../../receiver/decoded-types.ts';
import { TENANT_ATTRIBUTE } from '../../store/rows.ts';
import { attributeLabels, type LabelMap } from './attribute-labels.ts';
import { prometheusLabelName } from './label-name.ts';

export const SERVICE_NAME = 'service.name';
export const SERVICE_NAMESPACE = 'service.namespace';
export const SERVICE_INSTANCE_ID = 'service.instance.id';

/** The resource attributes copied as labels onto every series by default. */
export const DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES: readonly string[] = [
  TENANT_ATTRIBUTE,
  'deployment.environment.name',
];

const IDENTIFYING_ATTRIBUTES: ReadonlySet<string> = new Set([
  SERVICE_NAME,
  SERVICE_NAMESPACE,
  SERVICE_INSTANCE_ID,
]);

export interface ResourceLabels {
  /** `dss.client` when it is a string, else ''. */
  tenant: string;
  /** `job` and `instance` (when the service attributes are there): they override point attributes. */
  identity: LabelMap;
  /** Promoted resource attributes: added unless a point attribute already has the label. */
  promoted: LabelMap;
  /** Labels of `target_info` (without `__name__`), or undefined when the resource has nothing to say. */
  targetInfo: LabelMap | undefined;
}

export function resourceLabels(resource: Resource, promote: readonly string[]): ResourceLabels {
  const attributes = resource.attributes;
  const tenantValue = findAttribute(attributes, TENANT_ATTRIBUTE);
  const tenant = tenantValue?.type === 'string' ? tenantValue.value : '';

  const identity: LabelMap = new Map();
  const serviceName = findAttribute(attributes, SERVICE_NAME);
  if (serviceName !== undefined) {
    const namespace = findAttribute(attributes, SERVICE_NAMESPACE);
    const name = anyValueToString(serviceName);
    identity.set('job', namespace === undefined ? name : `${anyValueToString(namespace)}/${name}`);
  }
  const instance = findAttribute(attributes, SERVICE_INSTANCE_ID);
  if (instance !== undefined) identity.set('instance', anyValueToString(instance));

  const promoted: LabelMap = new Map();
  for (const key of promote) {
    const value = findAttribute(attributes, key);
    const name = prometheusLabelName(key);
    if (value !== undefined && name !== undefined && !promoted.has(name))
      promoted.set(name, anyValueToString(value));
  }

  return { tenant, identity, promoted, targetInfo: targetInfoLabels(resource, identity) };
}

/**
 * Every resource attribute but the three service ones, plus job and instance. None when there is no other
 * attribute (job and instance alone say nothing new) or neither job nor instance (nothing to join on).
 */
function targetInfoLabels(resource: Resource, identity: LabelMap): LabelMap | undefined {
  if (identity.size === 0) return undefined;
  if (resource.attributes.every((a) => IDENTIFYING_ATTRIBUTES.has(a.key))) return undefined;
  const labels = attributeLabels(resource.attributes, IDENTIFYING_ATTRIBUTES);
  for (const [name, value] of identity) labels.set(name, value);
  return labels;
}

/**
 * The scope labels the current specification asks for and the OTel Collector's Prometheus exporters and
 * Prometheus (promote_scope_metadata) write: otel_scope_name, otel_scope_version, otel_scope_schema_url
 * and one otel_scope_<attribute> per scope attribute. None for a scope without a name, as Prometheus does.
 */
export function scopeLabels(scope: InstrumentationScope, schemaUrl: string): LabelMap {
  const labels: LabelMap = new Map();
  if (scope.name === '') return labels;
  labels.set('otel_scope_name', scope.name);
  labels.set('otel_scope_version', scope.version);
  labels.set('otel_scope_schema_url', schemaUrl);
  for (const { key, value } of scope.attributes) {
    const name = prometheusLabelName(`otel_scope_${key}`);
    if (name !== undefined) labels.set(name, anyValueToString(value));
  }
  return labels;
}
