export * from './assets';
export * from './scan';
export * from './resource-set';
export * from './resource-set-patterns';
export * from './scan-ruleset';
export * from './relational-assets';
export * from './relational-scan';
