import { maxConcurrentJobsFor } from './node-capacity';

describe('maxConcurrentJobsFor', () => {
  it('grows with cores and memory within 2..64', () => {
    expect(maxConcurrentJobsFor(1, 512)).toBe(2);
    expect(maxConcurrentJobsFor(2, 8192)).toBe(6);
    expect(maxConcurrentJobsFor(8, 32768)).toBe(24);
    expect(maxConcurrentJobsFor(64, 1024 * 1024)).toBe(64);
  });
});
