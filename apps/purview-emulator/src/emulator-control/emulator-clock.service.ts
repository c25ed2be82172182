import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ClockState } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { EmulatorSettingsRepository } from './emulator-settings.repository';

const OFFSET_KEY = 'clock.offsetMs';
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

export type { ClockState } from '@purview-emulator/contracts';

/** The emulator clock's offset, kept in `emulator_settings` so a moved clock stays moved across restarts. */
@Injectable()
export class EmulatorClockService implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly settings: EmulatorSettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** The offset as stored (none after a reset: real time). */
  async reload(): Promise<void> {
    const stored = await this.settings.get(OFFSET_KEY);
    this.clock.setOffset(stored !== undefined ? Number(stored) : 0);
  }

  state(): ClockState {
    return { now: this.clock.iso(), offsetSeconds: this.clock.offsetMs() / 1000 };
  }

  /** Exactly one of: `now` (an ISO time), `offsetSeconds` (from real time), `advanceSeconds` (from the current emulator time). */
  async set(request: { now?: string; offsetSeconds?: number; advanceSeconds?: number }): Promise<ClockState> {
    let offsetMs: number;
    if (request.now !== undefined) {
      const target = Date.parse(request.now);
      if (Number.isNaN(target))
        throw PurviewError.badRequest(
          `'now' must be an ISO-8601 date-time, like 2027-11-01T00:00:00Z; got '${request.now}'.`,
          'InvalidClock',
          'now',
        );
      offsetMs = target - Date.now();
    } else if (request.offsetSeconds !== undefined) {
      offsetMs = request.offsetSeconds * 1000;
    } else {
      offsetMs = this.clock.offsetMs() + request.advanceSeconds! * 1000;
    }
    const target = Date.now() + offsetMs;
    // Dates must stay representable (tokens, leases and ISO strings all derive from the clock).
    if (!(target >= EARLIEST_MS && target <= LATEST_MS)) {
      throw PurviewError.badRequest(
        `The emulator clock must stay between ${new Date(EARLIEST_MS).toISOString()} and ${new Date(LATEST_MS).toISOString()}.`,
        'InvalidClock',
      );
    }
    await this.settings.set(OFFSET_KEY, String(Math.round(offsetMs)));
    this.clock.setOffset(Math.round(offsetMs));
    // What the new time sets off (a due trigger starts its run) has happened when this call answers.
    await this.clock.settled();
    return this.state();
  }

  reset(): Promise<ClockState> {
    return this.set({ offsetSeconds: 0 });
  }
}
