// Tenancy for every store query: a tenant only ever sees the records whose resource has its dss.client.
import type { TenantScope } from '../auth/tokens.ts';

export interface TenantFilter {
  /** `AND <column> IN (...)`, or '' when the request may read every tenant. */
  sql: string;
  /** The named parameter the fragment uses ({} when none). */
  params: { tenant?: string };
}

/** A filter on a resource id column (`resource_id` of spans and log records, or `id` of resources). */
export function tenantFilter(tenant: TenantScope, column = 'resource_id'): TenantFilter {
  if (tenant === undefined) return { sql: '', params: {} };
  return { sql: `AND ${column} IN (SELECT id FROM resources WHERE tenant = @tenant)`, params: { tenant } };
}
