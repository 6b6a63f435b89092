/**
 * Run parameters: scope ids and users the checks address (`--param key=value`), with the defaults that
 * fit the reference server's data.
 */

export const DEFAULT_USER = '1';

export const DEFAULT_PARAMS: Readonly<Record<string, string>> = {
  campaignId: '1',
  conversationId: '1',
  unknownCampaignId: '999999999',
};

/** Parameters of a run: defaults, then `userId` = the run's user, then what the caller gave. */
export function resolveParams(
  user: string,
  given: Readonly<Record<string, string>> | undefined,
  targetDefaults: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...DEFAULT_PARAMS, userId: user, ...targetDefaults, ...given };
}
