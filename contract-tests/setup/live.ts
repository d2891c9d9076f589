// The live-mode switches. Live runs talk to the real API (through `prism proxy --errors`), so they need
// both an explicit switch and a token; buying credits needs a second switch because it charges money.

export interface LiveSettings {
  enabled: boolean;
  /** Why live cases are skipped (empty when enabled). */
  reason: string;
  baseUrl: string;
  topup: boolean;
  topupReason: string;
  topupAmount: number;
}

export const LIVE_SWITCH = 'HWOCR_CONTRACT_LIVE';
export const TOPUP_SWITCH = 'HWOCR_CONTRACT_LIVE_TOPUP';
export const TOKEN_VAR = 'HANDWRITING_OCR_API_TOKEN';

export function liveSettings(env: NodeJS.ProcessEnv = process.env): LiveSettings {
  const asked = env[LIVE_SWITCH] === '1';
  const hasToken = Boolean(env[TOKEN_VAR]?.trim());
  const enabled = asked && hasToken;
  const reason = enabled
    ? ''
    : asked
      ? `${LIVE_SWITCH}=1 but ${TOKEN_VAR} is not set`
      : `live mode off; set ${LIVE_SWITCH}=1 and ${TOKEN_VAR} to run against the real API`;
  const topup = enabled && env[TOPUP_SWITCH] === '1';
  const topupReason = topup
    ? ''
    : enabled
      ? `buying credits charges money; set ${TOPUP_SWITCH}=1 as well to run it`
      : reason;
  return {
    enabled,
    reason,
    baseUrl: env.HWOCR_CONTRACT_LIVE_URL ?? 'https://api.handwritingocr.com/v3',
    topup,
    topupReason,
    topupAmount: Number(env.HWOCR_CONTRACT_LIVE_TOPUP_AMOUNT ?? 100),
  };
}
