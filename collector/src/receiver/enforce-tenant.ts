// Ingest tenancy: data sent for tenant T (by its token, or by X-Scope-OrgID) is T's data. A resource
// without `dss.client` is stamped with T; a resource that names another client is refused with
// its records, so that one utility's services can never write into another's tenant.
import { findAttribute } from './attributes.ts';
import type { DecodedExport, Resource } from './decoded-types.ts';
import { countRecords } from './flatten.ts';

const CLIENT_KEY = 'dss.client';

export interface TenantOutcome {
  rejected: number;
  message: string;
}

function resourceTenant(resource: Resource): string | undefined {
  const value = findAttribute(resource.attributes, CLIENT_KEY);
  return value?.type === 'string' ? value.value : undefined;
}

export function enforceTenant(request: DecodedExport, tenant: string): TenantOutcome {
  let rejected = 0;
  const problems: string[] = [];
  const keep = (resource: Resource, index: number, records: number): boolean => {
    const named = resourceTenant(resource);
    if (named === undefined) {
      resource.attributes.push({ key: CLIENT_KEY, value: { type: 'string', value: tenant } });
      return true;
    }
    if (named === tenant) return true;
    rejected += records;
    if (problems.length < 10)
      problems.push(`resource ${index} has dss.client="${named}", not the tenant "${tenant}"`);
    return false;
  };
  if (request.signal === 'traces') {
    request.resourceSpans = request.resourceSpans.filter((rs, i) =>
      keep(rs.resource, i, countRecords({ signal: 'traces', resourceSpans: [rs] })),
    );
  } else if (request.signal === 'metrics') {
    request.resourceMetrics = request.resourceMetrics.filter((rm, i) =>
      keep(rm.resource, i, countRecords({ signal: 'metrics', resourceMetrics: [rm] })),
    );
  } else {
    request.resourceLogs = request.resourceLogs.filter((rl, i) =>
      keep(rl.resource, i, countRecords({ signal: 'logs', resourceLogs: [rl] })),
    );
  }
  return { rejected, message: problems.join('; ') };
}
