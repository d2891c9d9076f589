// Compile-time checks on what openapi-typescript emitted: the vendor's document types every response body as
// `unknown` (it has examples, no schemas); the overlay must leave no 2xx body untyped.
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operations, webhooks } from '../../generated/openapi.js';

type Success = 200 | 201 | 202 | 203 | 206;
type IsUnknown<T> = unknown extends T ? true : false;
/** The union of an operation's 2xx bodies (all content types); `unknown` absorbs the union if any is untyped. */
type SuccessBodies<Op> = Op extends { responses: infer R }
  ? { [K in keyof R & Success]: R[K] extends { content: infer C } ? C[keyof C] : never }[keyof R & Success]
  : never;
type Untyped<Ops> = {
  [K in keyof Ops]: IsUnknown<SuccessBodies<Ops[K]>> extends true ? K : never;
}[keyof Ops];

describe('generated/openapi.ts', () => {
  it('types every 2xx response body of every operation', () => {
    expectTypeOf<Untyped<operations>>().toEqualTypeOf<never>();
  });

  it('has a typed body for every success status of the operations that answer one', () => {
    expectTypeOf<SuccessBodies<operations['upload-document']>>().toEqualTypeOf<
      components['schemas']['UploadedDocument']
    >();
    expectTypeOf<SuccessBodies<operations['list-documents']>>().toEqualTypeOf<
      components['schemas']['DocumentList']
    >();
    expectTypeOf<SuccessBodies<operations['get-user-information']>>().toEqualTypeOf<
      components['schemas']['User']
    >();
    expectTypeOf<SuccessBodies<operations['purchase-additional-credits']>>().toEqualTypeOf<
      components['schemas']['TopupResult']
    >();
    expectTypeOf<SuccessBodies<operations['download-result']>>().toEqualTypeOf<
      components['schemas']['DocumentResult'] | components['schemas']['PendingDocument']
    >();
  });

  it('discriminates the result by action', () => {
    type Result = components['schemas']['DocumentResult'];
    expectTypeOf<Extract<Result, { action: 'transcribe' }>['results']>().toEqualTypeOf<
      components['schemas']['TranscribePage'][] | undefined
    >();
    expectTypeOf<Extract<Result, { action: 'tables' }>['results']>().toEqualTypeOf<
      components['schemas']['TablesPage'][] | undefined
    >();
    expectTypeOf<Extract<Result, { action: 'extractor' }>['results']>().toEqualTypeOf<
      components['schemas']['ExtractorPage'][] | undefined
    >();
  });

  it('types the webhook delivery with the same result schema', () => {
    type Delivery = NonNullable<webhooks['document-processed']['post']>;
    type Body = NonNullable<Delivery['requestBody']>['content']['application/json'];
    expectTypeOf<Body>().toEqualTypeOf<components['schemas']['DocumentResult']>();
  });
});
