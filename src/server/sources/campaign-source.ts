import type { Bus } from '../bus.js';
import type { OutgoingData } from '../endpoint-handler.js';
import type { Leases } from '../leases.js';
import { BaseCadenceMs, scaledMs } from './cadence.js';
import { Feed, type DeliveryListener } from './feed.js';
import { simulatedQrCode } from './qr-code.js';
import { createRandom, streamFor, type Random } from './random.js';
import { repeatEvery, type Scheduler } from './scheduler.js';

/** Campaigns 1..CAMPAIGN_COUNT exist; anything else is unknown (4404). */
export const CAMPAIGN_COUNT = 1_000;

/** The user ("1".."10") who owns a campaign or conversation: the reference data's ownership rule. */
export function ownerOf(id: number): string {
  return String(((id - 1) % 10) + 1);
}

export type CampaignStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

type Phase = 'pending' | 'qr_shown' | 'connected' | 'sending' | 'pausing';

interface CampaignState {
  readonly id: number;
  readonly title: string;
  random: Random;
  status: CampaignStatus;
  phase: Phase;
  total: number;
  sent: number;
  failed: number;
  delivered: number;
  startedAt: string | null;
  completedAt: string | null;
  pauseStepsLeft: number;
}

/** A campaign's run as it is saved for another instance to go on with it: its state, its random stream's place. */
export type SavedCampaign = Omit<CampaignState, 'id' | 'title' | 'random'> & { random: number };

/** Where runs are saved when the instances of a deployment take turns at producing a campaign. */
export interface CampaignRuns {
  load(id: number): Promise<SavedCampaign | undefined>;
  save(id: number, run: SavedCampaign): void;
}

const TITLES = ['Spring sale', 'Welcome series', 'Order reminders', 'Weekly newsletter', 'Loyalty rewards'];
const FAILURES = ['Invalid phone number', 'Number is not on WhatsApp', 'Message rejected by the recipient'];
const FAILURE_PROBABILITY = 0.06;
const UNDELIVERED_PROBABILITY = 0.03;
/** A `campaign_update` after every this many recipients, between the `progress_update`s. */
const RECIPIENTS_PER_CAMPAIGN_UPDATE = 5;

/**
 * The campaign sender: each followed campaign steps through a run — QR code, WhatsApp ready, RUNNING,
 * one recipient per step (with the odd failure), completion report, COMPLETED — pauses, and starts again,
 * so a front end always has something to watch. A campaign nobody follows stands still.
 */
export class CampaignSource {
  private readonly campaigns = new Map<number, CampaignState>();
  /** Campaigns whose run this instance produces now: their state here is the current one. */
  private readonly producing = new Set<number>();
  private readonly feed: Feed<number>;
  private readonly stepMs: number;
  private readonly pauseSteps: number;

  constructor(
    bus: Bus,
    private readonly scheduler: Scheduler,
    private readonly seed: number,
    speed: number,
    private readonly runs?: CampaignRuns,
    leases?: Leases,
  ) {
    this.stepMs = scaledMs(BaseCadenceMs.campaignStep, speed);
    this.pauseSteps = Math.ceil(BaseCadenceMs.campaignRestartPause / BaseCadenceMs.campaignStep);
    this.feed = new Feed(
      bus,
      (id) => `campaign:${id}`,
      (id) => this.produce(id),
      leases,
    );
  }

  /** Runs the campaign here, from where it was saved when runs are shared. */
  private produce(id: number): () => void {
    const run = () => {
      this.producing.add(id);
      const stop = repeatEvery(this.scheduler, this.stepMs, () => this.step(id));
      return () => {
        this.producing.delete(id);
        stop();
      };
    };
    if (!this.runs) return run();
    let stop: (() => void) | undefined;
    let stopped = false;
    const start = (saved: SavedCampaign | undefined) => {
      if (stopped) return;
      if (saved) this.campaigns.set(id, this.revive(id, saved));
      stop = run();
    };
    // A run that cannot be read goes on from what this instance knows of it.
    this.runs.load(id).then(start, () => start(undefined));
    return () => {
      stopped = true;
      stop?.();
    };
  }

  exists(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= CAMPAIGN_COUNT;
  }

  subscribe(id: number, listener: DeliveryListener): () => void {
    return this.feed.subscribe(id, listener);
  }

  /** The campaign as it is now, as a `campaign_update` (from where it is saved, when another instance runs it). */
  snapshot(id: number): OutgoingData | Promise<OutgoingData> {
    if (!this.runs || this.producing.has(id)) return this.snapshotOf(this.state(id));
    return this.runs
      .load(id)
      .then((saved) => this.snapshotOf(saved ? this.revive(id, saved) : this.state(id)));
  }

  private snapshotOf(campaign: CampaignState): OutgoingData {
    return this.message(campaign, 'campaign_update', {
      id: campaign.id,
      title: campaign.title,
      status: campaign.status,
      progress: {
        total: campaign.total,
        sent: campaign.sent,
        failed: campaign.failed,
        delivered: campaign.delivered,
      },
      startedAt: campaign.startedAt,
      completedAt: campaign.completedAt,
    });
  }

  /** Campaigns whose run is ticking now. */
  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }

  private revive(id: number, saved: SavedCampaign): CampaignState {
    return { ...this.state(id), ...saved, random: createRandom(saved.random) };
  }

  private save(campaign: CampaignState): void {
    if (!this.runs) return;
    const { id: _id, title: _title, random, ...rest } = campaign;
    this.runs.save(campaign.id, { ...rest, random: random.state() });
  }

  private state(id: number): CampaignState {
    let campaign = this.campaigns.get(id);
    if (!campaign) {
      const random = streamFor(this.seed, 'campaign', id);
      campaign = {
        id,
        title: `${random.pick(TITLES)} #${id}`,
        random,
        status: 'PENDING',
        phase: 'pending',
        total: 0,
        sent: 0,
        failed: 0,
        delivered: 0,
        startedAt: null,
        completedAt: null,
        pauseStepsLeft: 0,
      };
      campaign.total = recipientsPerRun(random);
      this.campaigns.set(id, campaign);
    }
    return campaign;
  }

  private step(id: number): void {
    const campaign = this.state(id);
    this.advance(campaign);
    this.save(campaign);
  }

  private advance(campaign: CampaignState): void {
    const { id } = campaign;
    switch (campaign.phase) {
      case 'pending':
        this.publish(campaign, 'qr_code', { qrCode: simulatedQrCode(campaign.random) });
        campaign.phase = 'qr_shown';
        return;
      case 'qr_shown':
        this.publish(campaign, 'status_update', {
          status: 'ready',
          message: 'WhatsApp connected successfully',
        });
        campaign.phase = 'connected';
        return;
      case 'connected':
        campaign.status = 'RUNNING';
        campaign.startedAt = this.isoNow();
        campaign.phase = 'sending';
        this.feed.publish(id, this.snapshotOf(campaign));
        return;
      case 'sending':
        this.sendOne(campaign);
        return;
      case 'pausing':
        campaign.pauseStepsLeft -= 1;
        if (campaign.pauseStepsLeft > 0) return;
        Object.assign(campaign, {
          status: 'PENDING',
          phase: 'pending',
          total: recipientsPerRun(campaign.random),
          sent: 0,
          failed: 0,
          delivered: 0,
          startedAt: null,
          completedAt: null,
        });
        this.feed.publish(id, this.snapshotOf(campaign));
    }
  }

  private sendOne(campaign: CampaignState): void {
    const { random } = campaign;
    const phone = `09${String(random.int(0, 999_999_999)).padStart(9, '0')}`;
    if (random.chance(FAILURE_PROBABILITY)) {
      campaign.failed += 1;
      this.publish(campaign, 'error_update', {
        error: `Failed to send message to ${phone}: ${random.pick(FAILURES)}`,
        phone,
      });
    } else {
      campaign.sent += 1;
      if (!random.chance(UNDELIVERED_PROBABILITY)) campaign.delivered += 1;
    }
    const processed = campaign.sent + campaign.failed;
    this.publish(campaign, 'progress_update', {
      progress: {
        sent: campaign.sent,
        total: campaign.total,
        current: phone,
        failed: campaign.failed,
        delivered: campaign.delivered,
      },
    });
    if (processed >= campaign.total) {
      this.publish(campaign, 'completion_update', {
        report: {
          status: 'COMPLETED',
          totalSent: campaign.sent,
          totalFailed: campaign.failed,
          reportUrl: `/api/campaigns/${campaign.id}/report`,
        },
      });
      campaign.status = 'COMPLETED';
      campaign.completedAt = this.isoNow();
      campaign.phase = 'pausing';
      campaign.pauseStepsLeft = this.pauseSteps;
      this.feed.publish(campaign.id, this.snapshotOf(campaign));
    } else if (processed % RECIPIENTS_PER_CAMPAIGN_UPDATE === 0) {
      this.feed.publish(campaign.id, this.snapshotOf(campaign));
    }
  }

  private publish(campaign: CampaignState, type: string, data: Record<string, unknown>): void {
    this.feed.publish(campaign.id, this.message(campaign, type, data));
  }

  /** Seed 001's shape: integer `campaignId` at the top, `timestamp` inside `data` (ENV-005). */
  private message(campaign: CampaignState, type: string, data: Record<string, unknown>): OutgoingData {
    return { type, campaignId: campaign.id, data: { ...data, timestamp: this.isoNow() } };
  }

  private isoNow(): string {
    return new Date(this.scheduler.now()).toISOString();
  }
}

function recipientsPerRun(random: Random): number {
  return random.int(20, 60);
}
