// What each JSON answer must look like: the required fields of each response type and their JSON types. No
// schema library: a table per type, which the compiler keeps in step with the generated types (a required field
// added by a regenerate fails to compile here). Used for the API's answers (responses.ts) and webhook deliveries.
import { FORMATS_BY_ACTION } from './formats.js';
import type { DocumentList, DocumentResult, TopupResult, UploadedDocument, User } from './types.js';

// Only the kinds the tables use: a kind no table names would be code no answer can reach.
type Kind = 'string' | 'integer' | 'boolean' | 'array';
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
/** A type's required fields, each with the JSON kinds it may have. */
type Shape<T> = { readonly [K in RequiredKeys<T>]: readonly Kind[] };

const USER = {
  id: ['string', 'integer'],
  email: ['string'],
  balance: ['integer'],
} as const satisfies Shape<User>;
const UPLOADED = { id: ['string'], status: ['string'] } as const satisfies Shape<UploadedDocument>;
// The spec's DocumentId pattern: an id the SDK can poll, download and delete.
const DOCUMENT_ID = /^[A-Za-z0-9]+$/;
const TOPUP = {
  success: ['boolean'],
  credits_purchased: ['integer'],
  new_balance: ['integer'],
} as const satisfies Shape<TopupResult>;
const LIST = {
  documents: ['array'],
  current_page: ['integer'],
  last_page: ['integer'],
  per_page: ['integer'],
  total: ['integer'],
} as const satisfies Shape<DocumentList>;
const DOCUMENT = {
  id: ['string'],
  status: ['string'],
  action: ['string'],
} as const satisfies Shape<DocumentResult>;
const LISTED = { id: ['string'], status: ['string'] } as const;

/** What a value is, in the words of a message. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'missing' : `a ${typeof value}`;
}

function is(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === kind;
  }
}

/** A JSON object (not `null`, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAny(value: unknown, kinds: readonly Kind[]): boolean {
  for (const kind of kinds) if (is(value, kind)) return true;
  return false;
}

/** The first way `value` differs from `shape`, or `undefined` when it fits. */
function misfit(value: unknown, shape: Record<string, readonly Kind[]>, where = ''): string | undefined {
  // `where` is a path ending in a dot (`documents[0].`): the item itself is named without it.
  if (!isObject(value))
    return `${where ? `\`${where.slice(0, -1)}\`` : 'the body'} is ${kindOf(value)}, not an object`;
  // A plain loop: this runs on every answer, and needs no array or closure per field.
  for (const key in shape) {
    const kinds = shape[key] as readonly Kind[];
    if (!isAny(value[key], kinds))
      return `\`${where}${key}\` is ${kindOf(value[key])}, not ${kinds.join(' or ')}`;
  }
  return undefined;
}

function documentMisfit(value: unknown, where = ''): string | undefined {
  const problem = misfit(value, DOCUMENT, where);
  if (problem) return problem;
  const doc = value as Record<string, unknown>;
  if (!Object.hasOwn(FORMATS_BY_ACTION, doc.action as string)) {
    return `\`${where}action\` is ${JSON.stringify(doc.action)}, not one of ${Object.keys(FORMATS_BY_ACTION).join(', ')}`;
  }
  for (const key of ['results', 'thumbnails']) {
    if (doc[key] !== undefined && doc[key] !== null && !Array.isArray(doc[key])) {
      return `\`${where}${key}\` is ${kindOf(doc[key])}, not an array`;
    }
  }
  return undefined;
}

function listMisfit(value: unknown): string | undefined {
  const problem = misfit(value, LIST);
  if (problem) return problem;
  const documents = (value as { documents: unknown[] }).documents;
  for (const [i, item] of documents.entries()) {
    const itemProblem = misfit(item, LISTED, `documents[${i}].`);
    if (itemProblem) return itemProblem;
  }
  return undefined;
}

/** The check per response type: the first way a value differs from it, or `undefined`. */
export const WHY = {
  user: (v: unknown) => misfit(v, USER),
  uploaded: (v: unknown) =>
    misfit(v, UPLOADED) ??
    (DOCUMENT_ID.test((v as UploadedDocument).id) ? undefined : '`id` is not a usable document id'),
  topup: (v: unknown) => misfit(v, TOPUP),
  list: listMisfit,
  document: documentMisfit,
} as const;

/** The response types checked here, by name. */
export type ShapeName = keyof typeof WHY;
/** The type each checked response type promises. */
export type Shaped = {
  user: User;
  uploaded: UploadedDocument;
  topup: TopupResult;
  list: DocumentList;
  document: DocumentResult;
};

/** Whether a body, as read, fits the document shape (e.g. a webhook delivery). */
export function documentProblem(value: unknown): string | undefined {
  return documentMisfit(value);
}
