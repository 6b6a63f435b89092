import type { EndpointHandler } from '../endpoint-handler.js';
import { ownerOf } from '../sources/campaign-source.js';
import { badRequest, forbidden, notFound, parseIdParam, requestType, unknownType } from './scope.js';
import { deliverTo, endSession, follow, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const CAMPAIGN_KEY = 'campaign';

/** `/ws/campaigns?campaignId=&userId=` (seed 001): one campaign's run, for its owner only. */
export function campaignsHandler({ campaigns }: SimulationSources): EndpointHandler & { follow: Follow } {
  const followCampaign: Follow = (session, key) =>
    key === CAMPAIGN_KEY
      ? campaigns.subscribe(Number(session.params.campaignId), deliverTo(session))
      : undefined;

  return {
    follow: followCampaign,

    checkScope(params, userId) {
      const campaignId = parseIdParam(params.campaignId);
      if (campaignId === undefined) return badRequest('campaignId must be a positive integer');
      if (parseIdParam(params.userId) === undefined) return badRequest('userId must be a positive integer');
      if (!campaigns.exists(campaignId)) return notFound(`campaign ${campaignId} does not exist`);
      // SEC-002: the authenticated user (or, without a token, the userId parameter) must own it.
      if (ownerOf(campaignId) !== (userId ?? params.userId)) {
        return forbidden(`campaign ${campaignId} belongs to another user`);
      }
      return undefined;
    },

    async open(session) {
      // A fresh session starts from a full snapshot (RES-008 relies on it after resume_failed).
      session.emit(await campaigns.snapshot(Number(session.params.campaignId)));
      follow(session, CAMPAIGN_KEY, followCampaign);
    },

    async handle(session, request) {
      if (requestType(request) !== 'get_campaign') throw unknownType(request, session.endpoint);
      session.emit(await campaigns.snapshot(Number(session.params.campaignId)));
      return undefined;
    },

    close: endSession,
  };
}
