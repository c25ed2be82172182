/** api-versions the emulator accepts, per API family. The first is the default when a client omits it. */
export const SCANNING_API_VERSIONS = [
  '2023-09-01',
  '2022-07-01-preview',
  '2022-02-01-preview',
  '2021-10-01-preview',
  '2018-12-01-preview',
] as const;
export const DATAMAP_API_VERSIONS = [
  '2023-09-01',
  '2022-08-01-preview',
  '2022-03-01-preview',
  '2021-05-01-preview',
] as const;
export const DEFAULT_SCANNING_API_VERSION = SCANNING_API_VERSIONS[0];
export const DEFAULT_DATAMAP_API_VERSION = DATAMAP_API_VERSIONS[0];
