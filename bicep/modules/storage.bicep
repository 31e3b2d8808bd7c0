// The one storage account: shared keys off (identity only), no public blobs, containers and queues created here
// (the apps run with CreateResourcesOnStartup=false and hold no create rights), lifecycle rules that expire job data,
// and blob/queue logs to Log Analytics.
param location string
param tags object
param storageAccountName string
@description('Blob containers to create.')
param containerNames string[]
@description('Queues to create.')
param queueNames string[]
@description('Containers whose blobs are deleted after retentionDays (jobs, inputs, results).')
param expiringContainers string[]
@minValue(1)
param retentionDays int
@description('Container that receives dead-lettered Event Grid events (kept 30 days).')
param deadLetterContainer string
param logAnalyticsId string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [for name in queueNames: {
  parent: queueService
  name: name
}]

// Job records, uploaded inputs and result PNGs are deleted retentionDays after their last write; dead-lettered
// events after 30 days. Idempotency records (jobs/idempotency/) expire with the jobs they point at.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-job-data'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: [for name in expiringContainers: '${name}/']
            }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: retentionDays } } }
          }
        }
        {
          name: 'expire-dead-letters'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${deadLetterContainer}/']
            }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 30 } } }
          }
        }
      ]
    }
  }
  dependsOn: [containers]
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
