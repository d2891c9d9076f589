// `hwocr me` and `hwocr credits topup`.
import type { Context } from '../context.js';
import { UsageError } from '../io.js';
import { formatFields, REDACTED } from '../output.js';

/** Runs `hwocr me`. The API returns the token itself; it is printed as `***`. */
export async function me(ctx: Context): Promise<void> {
  const user = await ctx.client().users.me({ signal: ctx.signal });
  // Whatever the token in the answer is (even another than ours), it is a secret.
  if (typeof user.token === 'string') ctx.out.addSecret(user.token);
  if (ctx.globals.json) {
    ctx.out.printJson(user);
    return;
  }
  const lines = formatFields([
    ['id', String(user.id)],
    ['name', user.name ?? undefined],
    ['email', user.email],
    ['plan', user.type ?? undefined],
    ['credits', String(user.balance)],
    ['verified', user.verified === undefined ? undefined : user.verified ? 'yes' : 'no'],
    // Shown only when true: the one case the user must act on.
    ['blocked', user.blocked === true ? 'yes' : undefined],
    ['token', user.token ? REDACTED : undefined],
  ]);
  for (const line of lines) ctx.out.line(line);
}

/** Options of `hwocr credits topup`. */
export interface TopupOptions {
  yes?: boolean;
}

/** Runs `hwocr credits topup <amount>`. Refuses without `--yes`: it charges the account's card. */
export async function topup(amount: number, options: TopupOptions, ctx: Context): Promise<void> {
  if (!options.yes) {
    throw new UsageError(`buying ${amount} credits charges your payment method: add --yes to confirm`);
  }
  const result = await ctx.client().credits.topup({ amount }, { signal: ctx.signal });
  if (ctx.globals.json) {
    ctx.out.printJson(result);
    return;
  }
  const charged = result.amount_charged ? ` for ${result.amount_charged}` : '';
  ctx.out.line(`bought ${result.credits_purchased} credits${charged}; balance ${result.new_balance}`);
}
