import { Injectable } from '@nestjs/common';

/**
 * The emulator's notion of "now". Everything time-dependent (node liveness, leases, token expiry) asks the
 * clock, so tests can move time instead of sleeping. An offset may be set through the emulator control API.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return this.now().toISOString();
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
