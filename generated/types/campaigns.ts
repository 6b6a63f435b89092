/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `campaigns` endpoint (/ws/campaigns).
 */

import type {
  Ack,
  AuthenticationError,
  CampaignUpdate,
  ClientPing,
  ClientPong,
  CompletionUpdate,
  ConnectionEstablished,
  ErrorUpdate,
  GetCampaign,
  ProgressUpdate,
  QrCode,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
  StatusUpdate,
} from './messages.js';

/** Every message the server sends on `/ws/campaigns`, discriminated by `type`. */
export type CampaignsServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | CampaignUpdate
  | ProgressUpdate
  | StatusUpdate
  | ErrorUpdate
  | QrCode
  | CompletionUpdate;

/** Every message a client sends on `/ws/campaigns`. */
export type CampaignsClientMessage = ClientPing | ClientPong | GetCampaign;

/** Server messages of `/ws/campaigns` by their `type`. */
export interface CampaignsServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  campaign_update: CampaignUpdate;
  progress_update: ProgressUpdate;
  status_update: StatusUpdate;
  error_update: ErrorUpdate;
  qr_code: QrCode;
  completion_update: CompletionUpdate;
}

/** Client messages of `/ws/campaigns` by their `type`. */
export interface CampaignsClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  get_campaign: GetCampaign;
}

/** Scope query parameters of `/ws/campaigns` (token, resume and lastSeq are managed by the client). */
export type CampaignsQuery = {
  /** Campaign to follow. */
  campaignId: number | string;
  /** User who owns the campaign. */
  userId: number | string;
};
