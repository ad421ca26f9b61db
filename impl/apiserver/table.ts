// Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) so `kubectl get` prints
// upstream's columns. Every table starts with Name and ends with Age; kinds add their own
// columns in between, and `priority: 1` columns show only with -o wide.

import { humanDuration } from '../api/duration.js';
import type { KubeObject, StrategyContext } from './resource-type.js';

export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format?: string;
  readonly description: string;
  /** 0: always shown; 1: only with -o wide. */
  readonly priority: 0 | 1;
  /** Columns after Age (upstream puts wide columns there). */
  readonly afterAge?: boolean;
  cell(obj: KubeObject, ctx: StrategyContext): string | number | boolean;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRow {
  cells: (string | number | boolean)[];
  object?: Record<string, unknown>;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: TableRow[];
}

const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources.',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};

/** kubectl's AGE: time since creation, as upstream's HumanDuration. */
export function ageOf(obj: KubeObject, now: number): string {
  const created = obj.metadata.creationTimestamp;
  if (!created) return '<unknown>';
  return humanDuration(Math.max(0, now - Date.parse(created)));
}

const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o, ctx) => ageOf(o, ctx.now),
};

export function tableColumns(strategy: { columns?: readonly TableColumn[]; replaceColumns?: boolean }): TableColumn[] {
  const cols = strategy.columns ?? [];
  if (strategy.replaceColumns) return [...cols];
  return [nameColumn, ...cols.filter((c) => !c.afterAge), ageColumn, ...cols.filter((c) => c.afterAge)];
}

export function partialObjectMetadata(obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  objects: readonly KubeObject[],
  columns: readonly TableColumn[],
  ctx: StrategyContext,
  options: { include: IncludeObject; withColumns: boolean; resourceVersion?: string; continue?: string },
): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
    },
    columnDefinitions: options.withColumns
      ? columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority }))
      : [],
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, ctx)),
      ...(options.include === 'None' ? {} : { object: options.include === 'Object' ? o : partialObjectMetadata(o) }),
    })),
  };
}

/** Accept header asks for a Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}
