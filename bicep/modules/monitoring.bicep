// Log Analytics (every diagnostic setting sends here) and a workspace-based Application Insights with local
// authentication off: both apps export OpenTelemetry to it with their managed identities (Monitoring Metrics Publisher).
param location string
param tags object
param logAnalyticsName string
param insightsName string
@description('Days Log Analytics keeps data.')
param logRetentionDays int

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

output logAnalyticsId string = logs.id
output insightsName string = insights.name
// Not a secret: it names the resource; with DisableLocalAuth every write also needs an Entra token.
output insightsConnectionString string = insights.properties.ConnectionString
