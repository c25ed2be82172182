export * from './sample';
export * from './delimited.reader';
export * from './formats';
export * from './gzip.reader';
export * from './parquet.reader';
export * from './avro.reader';
export * from './json.reader';
export * from './xml.reader';
