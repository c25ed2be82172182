export * from './rules';
export * from './classify';
