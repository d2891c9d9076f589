// The vocabulary of the spec differ: levels, directions, categories and the shape of a reported change.
// The README's category table mirrors CATEGORY_LEVELS (a test keeps them in step).

/** How a change lands on an existing client, in oasdiff's terms. */
export type Level = 'breaking' | 'potentially-breaking' | 'non-breaking' | 'notice';
export const LEVELS: readonly Level[] = ['breaking', 'potentially-breaking', 'non-breaking', 'notice'];

/** Which way the changed value flows: written by the client (requests) or read by it (responses, webhooks). */
export type Direction = 'sends' | 'receives';

/** Every category with the levels it can take (most depend on the direction). */
export const CATEGORY_LEVELS = {
  'operation-added': ['non-breaking'],
  'operation-removed': ['breaking'],
  'operation-deprecated': ['notice'],
  'parameter-added-required': ['breaking', 'non-breaking'],
  'parameter-added-optional': ['non-breaking'],
  'parameter-removed': ['breaking'],
  'parameter-renamed': ['notice'],
  'parameter-became-required': ['breaking', 'non-breaking'],
  'parameter-became-optional': ['breaking', 'non-breaking'],
  'parameter-type-changed': ['breaking', 'non-breaking'],
  'parameter-deprecated': ['notice'],
  'request-body-changed': ['breaking', 'non-breaking'],
  'request-property-required-added': ['breaking'],
  'request-property-removed': ['breaking'],
  'request-property-added-optional': ['non-breaking'],
  'request-property-became-optional': ['non-breaking'],
  'request-property-type-changed': ['breaking', 'non-breaking'],
  'response-property-removed': ['breaking'],
  'response-property-type-changed': ['breaking', 'non-breaking'],
  'response-property-added': ['non-breaking'],
  'response-property-became-optional': ['breaking'],
  'property-deprecated': ['notice'],
  'enum-value-added': ['breaking', 'non-breaking'],
  'enum-value-removed': ['breaking', 'non-breaking'],
  'constraint-tightened': ['breaking', 'non-breaking'],
  'constraint-loosened': ['potentially-breaking', 'non-breaking'],
  'constraint-changed': ['potentially-breaking'],
  'format-changed': ['potentially-breaking', 'non-breaking'],
  'default-changed': ['potentially-breaking', 'notice'],
  'response-header-added': ['breaking', 'non-breaking'],
  'response-header-removed': ['breaking', 'non-breaking'],
  'status-code-added': ['non-breaking'],
  'status-code-removed': ['breaking', 'non-breaking'],
  'content-type-added': ['non-breaking'],
  'content-type-removed': ['breaking'],
  'security-changed': ['breaking', 'non-breaking'],
  'servers-changed': ['breaking', 'potentially-breaking', 'non-breaking'],
} as const satisfies Record<string, readonly Level[]>;

export type Category = keyof typeof CATEGORY_LEVELS;
export const CATEGORIES = Object.keys(CATEGORY_LEVELS) as Category[];

/** Where a change is felt: an operation (or webhook) and the place inside it. */
export interface Place {
  operation: string;
  location: string;
}

export interface SpecChange {
  category: Category;
  level: Level;
  direction: Direction;
  /** e.g. 'GET /documents/{id}' or 'POST webhook:document-processed'; absent for document-wide and shared-schema changes. */
  operation?: string;
  /** Human path, e.g. 'response 200 application/json: documents[].status', or 'DocumentStatus' for a shared schema. */
  location: string;
  message: string;
  /** A change inside a named schema felt at several places: the schema, and every place that uses it. */
  schema?: string;
  usedBy?: Place[];
}

/** Something wrong with one of the documents themselves, whatever the other one says. */
export type ProblemCategory = 'ref-missing' | 'ref-external' | 'nullable-ignored';

export interface DocumentProblem {
  category: ProblemCategory;
  /** An error makes the document unusable as it stands (spec:update stops; spec:diff exits 1). */
  severity: 'error' | 'warning';
  document: 'old' | 'new';
  message: string;
  /** JSON pointers of every place the problem occurs. */
  at: string[];
}

export interface SpecDiff {
  changes: SpecChange[];
  problems: DocumentProblem[];
}

export type Bump = 'major' | 'minor' | 'patch';

/** A parsed OpenAPI document; only the parts the differ reads are typed. */
export type OpenApiDoc = Record<string, unknown>;
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const sorted = (xs: Iterable<string>) => [...xs].sort();

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

export const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const METHOD_ORDER = new Map<string, number>(METHODS.map((m, i) => [m.toUpperCase(), i]));

/** Orders operations by path, then method in the usual order. */
export function operationKey(op: string): string {
  const space = op.indexOf(' ');
  const method = op.slice(0, space);
  return `${op.slice(space + 1)}\u0000${String(METHOD_ORDER.get(method) ?? 9)}`;
}

/** Document-wide changes first, then operations in order, then shared schemas by name. */
export function groupKey(c: SpecChange): string {
  if (c.operation !== undefined) return `1${operationKey(c.operation)}`;
  if (c.schema !== undefined) return `2${c.schema}`;
  return '0';
}

export function sortChanges(changes: readonly SpecChange[]): SpecChange[] {
  return [...changes].sort(
    (x, y) =>
      compareText(groupKey(x), groupKey(y)) ||
      compareText(x.location, y.location) ||
      compareText(x.category, y.category) ||
      compareText(x.message, y.message),
  );
}
