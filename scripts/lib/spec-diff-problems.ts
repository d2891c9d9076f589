// Problems of one document on its own, found in one pass over it: a local `$ref` to nothing (an error: the
// differ, the generators and Prism cannot read the schema), a `$ref` to another file (the differ does not
// follow it), and `nullable` in a 3.1 document (3.1 gives it no meaning; the type says nothing about null).
import { type DocumentProblem, isObj, type Obj, type ProblemCategory } from './spec-diff-model.js';
import { honoursNullable, pointer } from './spec-diff-resolve.js';

// Values, not schemas: their keys are data (an example may well have a `$ref` or `nullable` field).
const DATA_KEYS = new Set(['example', 'examples', 'default', 'const', 'enum']);
// Maps whose keys are names chosen by the author (a property may be called `example`).
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'schemas']);

const escapeKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export function documentProblems(doc: Obj, document: 'old' | 'new'): DocumentProblem[] {
  const found = new Map<string, DocumentProblem>();
  // The keys from the root to the node being visited; joined into a pointer only when a problem is found.
  const keys: string[] = [];
  const here = (...more: string[]) => ['#', ...[...keys, ...more].map(escapeKey)].join('/');
  const add = (category: ProblemCategory, severity: 'error' | 'warning', message: string, at: string) => {
    const key = `${category}\u0000${message}`;
    const known = found.get(key);
    if (known) known.at.push(at);
    else found.set(key, { category, severity, document, message, at: [at] });
  };
  const nullableIgnored = !honoursNullable(doc);
  const visit = (node: unknown, names: boolean) => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        keys.push(String(i));
        visit(node[i], false);
        keys.pop();
      }
      return;
    }
    if (!isObj(node)) return;
    const ref = node.$ref;
    if (typeof ref === 'string' && !names) {
      if (!ref.startsWith('#')) {
        add(
          'ref-external',
          'warning',
          `$ref ${ref} points outside the document: changes behind it are not compared`,
          here(),
        );
      } else if (pointer(doc, ref) === undefined) {
        add('ref-missing', 'error', `$ref ${ref} points to nothing`, here());
      }
    }
    if (nullableIgnored && !names && typeof node.nullable === 'boolean') {
      add(
        'nullable-ignored',
        'warning',
        `nullable: ${node.nullable} has no meaning in OpenAPI ${String(doc.openapi)}: write null into the type (type: [..., 'null'])`,
        here('nullable'),
      );
    }
    for (const key in node) {
      if (!names && (DATA_KEYS.has(key) || key.startsWith('x-'))) continue;
      keys.push(key);
      visit(node[key], !names && NAME_MAPS.has(key));
      keys.pop();
    }
  };
  visit(doc, false);
  return [...found.values()];
}
