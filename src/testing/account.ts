// The account routes: the user, and buying page credits.

import type { Context } from './context.js';
import { randomAlphanumeric } from './ids.js';
import { json, type Reply } from './reply.js';
import { parseForm, parseFormInteger, textField } from './request.js';
import { isoSeconds, isoTimestamp } from './time.js';

/** One successful purchase per this window (the API's rule). */
export const TOPUP_WINDOW_MS = 5 * 60 * 1000;

/** `GET /users/me`: the account, its balance and (as the real API does) its token. */
export function me(ctx: Context): Reply {
  const { user, token, startedAt } = ctx.config;
  return json('get-user-information', 200, {
    ...user,
    balance: ctx.store.balance,
    token,
    updated_at: isoTimestamp(startedAt),
  });
}

// Roughly the vendor's price: 500 credits for $4.99.
const price = (credits: number): string => `$${(Math.round(credits * 0.998) / 100).toFixed(2)}`;

/**
 * `POST /credits/topup`: 422 for a bad amount, then the subscription (403), the five-minute limit (429 with
 * `retry_after` in the body, as the API sends it), and the payment outcome set on the simulator.
 */
export async function topup(
  ctx: Context,
  bytes: Uint8Array,
  contentType: string | undefined,
): Promise<Reply> {
  const raw = textField(await parseForm(bytes, contentType), 'amount');
  if (raw === undefined || raw === '') {
    const message = 'The amount field is required.';
    return json('purchase-additional-credits', 422, { message, errors: { amount: [message] } });
  }
  const parsed = parseFormInteger(raw);
  if ('error' in parsed) {
    const message =
      parsed.error === 'too-large'
        ? `The amount field must not be greater than ${Number.MAX_SAFE_INTEGER}.`
        : 'The amount field must be an integer.';
    return json('purchase-additional-credits', 422, { message, errors: { amount: [message] } });
  }
  const amount = parsed.value;
  if (amount < 100) {
    return json('purchase-additional-credits', 422, {
      message: 'The minimum purchase is 100 credits.',
      code: 'amount_below_minimum',
    });
  }
  if (amount % 100 !== 0) {
    return json('purchase-additional-credits', 422, {
      message: 'The amount must be a multiple of 100.',
      code: 'amount_not_multiple_of_100',
    });
  }
  const { outcome, declineCode } = ctx.payment;
  if (outcome === 'no_subscription') {
    return json('purchase-additional-credits', 403, {
      message: 'An active subscription is required to purchase credits.',
    });
  }
  const now = ctx.now();
  const last = ctx.store.lastTopupAt;
  if (last !== undefined && now - last < TOPUP_WINDOW_MS) {
    return json('purchase-additional-credits', 429, {
      message: 'A purchase was already made in the last 5 minutes.',
      retry_after: isoSeconds(last + TOPUP_WINDOW_MS),
    });
  }
  switch (outcome) {
    case 'no_payment_method':
      return json('purchase-additional-credits', 422, {
        message: 'No payment method is saved for this account.',
        code: 'no_payment_method',
      });
    case 'declined':
      return json('purchase-additional-credits', 422, {
        message: 'The payment failed.',
        code: 'payment_failed',
        decline_code: declineCode,
      });
    case 'requires_action':
      return json('purchase-additional-credits', 402, {
        message: 'This payment requires additional authentication.',
        authentication_url: `https://app.handwritingocr.com/payments/authenticate/pi_${randomAlphanumeric(24)}`,
      });
    case 'ok':
      break;
  }
  ctx.store.balance += amount;
  ctx.store.lastTopupAt = now;
  return json('purchase-additional-credits', 200, {
    success: true,
    credits_purchased: amount,
    new_balance: ctx.store.balance,
    amount_charged: price(amount),
  });
}
