import { Injectable } from '@nestjs/common';

/**
 * The emulator's notion of "now". Everything time-dependent (node liveness, leases, token expiry) asks the
 * clock, so tests can move time instead of sleeping. An offset may be set through the emulator control API.
 */
@Injectable()
export class Clock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  nowMs(): number {
    return Date.now() + this.offset;
  }

  iso(): string {
    return this.now().toISOString();
  }

  offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    this.offset = ms;
  }
}
