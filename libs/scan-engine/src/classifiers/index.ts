export * from './rules';
export * from './checksums';
export * from './system-rules';
export * from './government-rules';
export * from './classify';
