export * from './assets';
export * from './scan';
