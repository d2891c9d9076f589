import { expect, expectTypeOf } from 'vitest';
import {
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  type TopupResult,
  UnprocessableEntityError,
  type User,
} from '../../src/index.js';
import { errorCases, withCheck } from './errors.js';
import type { ContractCase } from './types.js';

export const getUserInformationCases: ContractCase[] = [
  {
    operationId: 'get-user-information',
    status: '200',
    title: 'users.me resolves the user',
    async run(t) {
      const user = await t.client.users.me(t.prefer);
      expectTypeOf(user).toEqualTypeOf<User>();
      expect(user).toEqual(t.example);
    },
  },
  ...errorCases('get-user-information', (t) => t.client.users.me(t.prefer), { 401: AuthenticationError }),
];

const topup = 'purchase-additional-credits';
const code = withCheck(UnprocessableEntityError, (e, ex) => {
  expect(e.code).toBe(ex.code);
  expect(e.declineCode).toBe(ex.decline_code);
});

export const purchaseAdditionalCreditsCases: ContractCase[] = [
  {
    operationId: topup,
    status: '200',
    title: 'credits.topup sends amount as multipart and resolves the purchase',
    async run(t) {
      const result = await t.client.credits.topup({ amount: 500 }, t.prefer);
      expectTypeOf(result).toEqualTypeOf<TopupResult>();
      expect(result).toEqual(t.example);
    },
  },
  ...errorCases(topup, (t) => t.client.credits.topup({ amount: 500 }, t.prefer), {
    401: AuthenticationError,
    402: withCheck(PaymentRequiredError, (e, ex) => expect(e.authenticationUrl).toBe(ex.authentication_url)),
    403: PermissionDeniedError,
    // The Retry-After header wins over the body's retry_after.
    429: withCheck(RateLimitError, (e) => expect(e.retryAfterMs).toBe(30_000)),
  }),
  ...errorCases(
    topup,
    (t) => t.client.credits.topup({ amount: 500 }, t.prefer),
    { 422: code },
    {
      422: 'payment_failed',
    },
  ),
  ...errorCases(
    topup,
    (t) => t.client.credits.topup({ amount: 500 }, t.prefer),
    { 422: code },
    {
      422: 'amount_not_multiple_of_100',
    },
  ),
];
