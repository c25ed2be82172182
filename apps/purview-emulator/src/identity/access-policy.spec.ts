import { ACCESS, forbiddenMessage, isAllowed } from './access-policy';

describe('access policy', () => {
  it('names the client, the missing role, the operation and the roles the client has', () => {
    expect(forbiddenMessage('reader-app', ['Data Reader'], ACCESS.manageIntegrationRuntimes)).toBe(
      "The client 'reader-app' does not have the Data Source Admin role, which managing integration runtimes, their keys and nodes requires. Roles it has: Data Reader.",
    );
    expect(forbiddenMessage('nobody', [], ACCESS.readIntegrationRuntimes)).toBe(
      "The client 'nobody' has none of the roles Data Reader, Data Curator or Data Source Admin, one of which reading integration runtimes and their status requires. Roles it has: none.",
    );
  });

  it('allows when any one of the listed roles is held', () => {
    expect(isAllowed(['Data Curator'], ACCESS.readDataMap)).toBe(true);
    expect(isAllowed(['Data Source Admin'], ACCESS.readDataMap)).toBe(false);
    expect(isAllowed(['Collection Admin'], ACCESS.manageIntegrationRuntimes)).toBe(false);
    expect(isAllowed([], ACCESS.readScanning)).toBe(false);
  });
});
