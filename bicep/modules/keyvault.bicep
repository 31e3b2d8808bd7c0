// Key Vault in RBAC mode holding the Standard Webhooks signing secret. Only the worker reads it (Key Vault Secrets User
// on this one secret, rbac.bicep), through a Container Apps Key Vault secret reference; it is never an app setting value.
param location string
param tags object
param vaultName string
param secretName string
@secure()
@description('whsec_<base64 of 24 to 64 random bytes>; empty: no secret, and webhooks are off.')
param webhookSecret string
param logAnalyticsId string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(webhookSecret)) {
  parent: vault
  name: secretName
  properties: {
    value: webhookSecret
    contentType: 'Standard Webhooks signing secret (whsec_)'
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'audit', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = vault.name
// The versionless secret URI: the worker follows rotations on its next revision restart.
output secretUri string = '${vault.properties.vaultUri}secrets/${secretName}'
