// Reading resources and scopes back by id, for the record readers. A lookup caches what it read for
// the duration of one query (ids may be reused after retention removes a resource).
import type Database from 'better-sqlite3';
import type { InstrumentationScope, Resource } from '../receiver/decoded-types.ts';
import { decodeAttributes } from './any-value-json.ts';

export interface StoredResource {
  id: number;
  tenant: string;
  serviceName: string;
  resource: Resource;
  schemaUrl: string;
}

export interface StoredScope {
  id: number;
  scope: InstrumentationScope;
  schemaUrl: string;
}

interface ResourceRecord {
  id: number;
  tenant: string;
  service_name: string;
  attributes: string;
  dropped_attributes_count: number;
  schema_url: string;
}

interface ScopeRecord {
  id: number;
  name: string;
  version: string;
  attributes: string;
  dropped_attributes_count: number;
  schema_url: string;
}

export class DimensionLookup {
  private readonly resourceStatement: Database.Statement<[number]>;
  private readonly scopeStatement: Database.Statement<[number]>;
  private readonly resources = new Map<number, StoredResource>();
  private readonly scopes = new Map<number, StoredScope>();

  constructor(db: Database.Database) {
    this.resourceStatement = db.prepare('SELECT * FROM resources WHERE id = ?');
    this.scopeStatement = db.prepare('SELECT * FROM scopes WHERE id = ?');
  }

  resource(id: number): StoredResource {
    let stored = this.resources.get(id);
    if (!stored) {
      const row = this.resourceStatement.get(id) as ResourceRecord | undefined;
      stored = row
        ? {
            id,
            tenant: row.tenant,
            serviceName: row.service_name,
            resource: {
              attributes: decodeAttributes(row.attributes),
              droppedAttributesCount: row.dropped_attributes_count,
            },
            schemaUrl: row.schema_url,
          }
        : // Only if the database was edited by hand: keep the records, without their resource.
          {
            id,
            tenant: '',
            serviceName: '',
            resource: { attributes: [], droppedAttributesCount: 0 },
            schemaUrl: '',
          };
      this.resources.set(id, stored);
    }
    return stored;
  }

  scope(id: number): StoredScope {
    let stored = this.scopes.get(id);
    if (!stored) {
      const row = this.scopeStatement.get(id) as ScopeRecord | undefined;
      stored = {
        id,
        scope: {
          name: row?.name ?? '',
          version: row?.version ?? '',
          attributes: row ? decodeAttributes(row.attributes) : [],
          droppedAttributesCount: row?.dropped_attributes_count ?? 0,
        },
        schemaUrl: row?.schema_url ?? '',
      };
      this.scopes.set(id, stored);
    }
    return stored;
  }
}
