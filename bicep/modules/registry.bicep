// The worker's container registry. No admin user and no anonymous pull: the worker pulls with its identity (AcrPull,
// rbac.bicep). Premium is needed for artifact streaming (faster GPU cold starts; enable it per repository).
param location string
param tags object
param registryName string
@allowed(['Basic', 'Standard', 'Premium'])
param sku string
param logAnalyticsId string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: registryName
  location: location
  tags: tags
  sku: { name: sku }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: registry
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
